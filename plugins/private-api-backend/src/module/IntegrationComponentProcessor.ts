import { AuthService } from '@backstage/backend-plugin-api';
import {
  Entity,
  getCompoundEntityRef,
  parseEntityRef,
  RELATION_DEPENDENCY_OF,
  RELATION_DEPENDS_ON,
} from '@backstage/catalog-model';
import {
  CatalogProcessor,
  CatalogProcessorEmit,
  CatalogService,
  LocationSpec,
  processingResult,
} from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_AWS_ARN,
  integrationResourceEntityName,
  parseLambdaFunctionArn,
  parseLoadBalancerArn,
} from '@private-api-catalog/plugin-private-api-common';

/**
 * Relates your own Components to the APIs in front of them: a Component whose
 * `amazonaws.com/arn` annotation names a Lambda function or load balancer that APIs
 * integrate with becomes a dependency of those APIs (API `dependsOn` Component), next to the
 * function's or load balancer's Resource entity. The APIs are read from that Resource
 * entity, which the entity provider keeps current; the relations follow at the Component's
 * next processing.
 */
export class IntegrationComponentProcessor implements CatalogProcessor {
  constructor(
    private readonly catalog: CatalogService,
    private readonly auth: AuthService,
  ) {}

  getProcessorName(): string {
    return 'PrivateApiIntegrationComponentProcessor';
  }

  async postProcessEntity(
    entity: Entity,
    _location: LocationSpec,
    emit: CatalogProcessorEmit,
  ): Promise<Entity> {
    if (entity.kind.toLowerCase() !== 'component') return entity;
    const arn = entity.metadata.annotations?.[ANNOTATION_AWS_ARN];
    if (!arn) return entity;
    const resource = parseLambdaFunctionArn(arn) ?? parseLoadBalancerArn(arn);
    if (!resource) return entity;
    const behind = await this.catalog.getEntityByRef(
      {
        kind: 'resource',
        namespace: 'default',
        name: integrationResourceEntityName(resource),
      },
      { credentials: await this.auth.getOwnServiceCredentials() },
    );
    const apis = behind?.spec?.dependencyOf;
    if (!Array.isArray(apis)) return entity;
    const self = getCompoundEntityRef(entity);
    for (const ref of apis) {
      const api = parseEntityRef(String(ref));
      emit(
        processingResult.relation({
          source: api,
          type: RELATION_DEPENDS_ON,
          target: self,
        }),
      );
      emit(
        processingResult.relation({
          source: self,
          type: RELATION_DEPENDENCY_OF,
          target: api,
        }),
      );
    }
    return entity;
  }
}
