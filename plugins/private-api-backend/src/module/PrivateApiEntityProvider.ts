import {
  AuthService,
  DiscoveryService,
  LoggerService,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import {
  ANNOTATION_LOCATION,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  CatalogService,
  DeferredEntity,
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import {
  apiEntityName,
  VpcEndpointRecord,
} from '@private-api-catalog/plugin-private-api-common';
import type { ScopeStatus } from '../inventory/types';
import { InventoryClient } from './InventoryClient';
import {
  apiToEntity,
  scopeLocationKey,
  TransformOptions,
  vpcEndpointToEntity,
} from './transformer';

/** A VPC endpoint as the plugin serves it, with the private APIs associated with it. */
type EndpointWithApis = VpcEndpointRecord & {
  associatedApis?: Array<{ apiId: string; name: string }>;
  /** APIs whose resource policy lets the endpoint in. */
  admittedApis?: Array<{ apiId: string; name: string }>;
};

/** Re-emit every scope at least this often, so cross-scope relations catch up. */
const FULL_EMIT_INTERVAL_MS = 60 * 60 * 1000;

/**
 * Keeps the catalog in step with the inventory: one delta mutation per account and Region
 * whose inventory changed (its generation moved), with that scope's `locationKey`. A scope
 * whose last crawl failed keeps its generation, so its entities stay as they were.
 */
export class PrivateApiEntityProvider implements EntityProvider {
  private connection?: EntityProviderConnection;
  private readonly emittedGenerations = new Map<string, number>();
  private lastFullEmitAt = 0;

  constructor(
    private readonly options: {
      inventory: InventoryClient;
      catalog: CatalogService;
      auth: AuthService;
      logger: LoggerService;
      scheduler: SchedulerService;
      schedule: SchedulerServiceTaskScheduleDefinition;
      transform: TransformOptions;
    },
  ) {}

  static create(options: {
    discovery: DiscoveryService;
    auth: AuthService;
    catalog: CatalogService;
    logger: LoggerService;
    scheduler: SchedulerService;
    schedule: SchedulerServiceTaskScheduleDefinition;
    transform: TransformOptions;
  }) {
    return new PrivateApiEntityProvider({
      ...options,
      inventory: new InventoryClient(options.discovery, options.auth),
    });
  }

  getProviderName(): string {
    return 'private-api-provider:default';
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.connection = connection;
    const id = `${this.getProviderName()}:refresh`;
    await this.options.scheduler.scheduleTask({
      id,
      ...this.options.schedule,
      fn: async () => {
        const logger = this.options.logger.child({ taskId: id });
        try {
          await this.refresh(logger);
        } catch (error) {
          logger.error(`Could not refresh private API entities: ${error}`);
        }
      },
    });
  }

  /** Emits the scopes whose inventory changed since the last emission; returns how many. */
  async refresh(logger: LoggerService = this.options.logger): Promise<number> {
    if (!this.connection) {
      throw new Error(
        'PrivateApiEntityProvider is not connected to the catalog yet',
      );
    }
    const scopes = await this.options.inventory.listScopes();
    const everything = Date.now() - this.lastFullEmitAt > FULL_EMIT_INTERVAL_MS;
    const due = scopes.filter(
      s =>
        s.lastSuccessAt &&
        (everything ||
          this.emittedGenerations.get(
            scopeLocationKey(s.accountId, s.region),
          ) !== s.generation),
    );
    if (due.length === 0) return 0;

    const endpointsByScope = new Map<string, EndpointWithApis[]>();
    for (const scope of due) {
      endpointsByScope.set(
        scopeLocationKey(scope.accountId, scope.region),
        await this.options.inventory.listVpcEndpoints(
          scope.accountId,
          scope.region,
        ),
      );
    }
    const defaultedNames: string[] = [];
    for (const scope of due) {
      await this.emitScope(
        scope,
        endpointsByScope.get(scopeLocationKey(scope.accountId, scope.region)) ??
          [],
        defaultedNames,
      );
    }
    if (everything) this.lastFullEmitAt = Date.now();
    if (defaultedNames.length > 0) {
      logger.warn(
        `${
          defaultedNames.length
        } entities have no owner/system/lifecycle tag (tag keys ${Object.values(
          this.options.transform.tagKeys,
        ).join(', ')}) and use the configured defaults: ${defaultedNames
          .slice(0, 10)
          .join(', ')}${defaultedNames.length > 10 ? ', ...' : ''}`,
      );
    }
    logger.info(
      `Emitted private API entities for ${due.length} account-Region scope(s)`,
    );
    return due.length;
  }

  private async emitScope(
    scope: ScopeStatus,
    endpoints: EndpointWithApis[],
    defaultedNames: string[],
  ): Promise<void> {
    const locationKey = scopeLocationKey(scope.accountId, scope.region);
    const added: DeferredEntity[] = [];
    const { transform } = this.options;
    for await (const page of this.options.inventory.scopeApis(
      scope.accountId,
      scope.region,
    )) {
      for (const { api, definition } of page) {
        const { entity, defaulted } = apiToEntity(api, definition, transform);
        if (defaulted.includes('owner'))
          defaultedNames.push(entity.metadata.name);
        added.push({ entity, locationKey });
      }
    }
    for (const endpoint of endpoints) {
      const dependencyOf = (endpoint.associatedApis ?? []).map(a =>
        stringifyEntityRef({ kind: 'API', name: apiEntityName(a) }),
      );
      const dependsOn = (endpoint.admittedApis ?? []).map(a =>
        stringifyEntityRef({ kind: 'API', name: apiEntityName(a) }),
      );
      const { entity } = vpcEndpointToEntity(
        endpoint,
        dependencyOf,
        transform,
        dependsOn,
      );
      added.push({ entity, locationKey });
    }

    const current = new Set(added.map(d => stringifyEntityRef(d.entity)));
    const existing = await this.options.catalog.getEntities(
      {
        filter: {
          [`metadata.annotations.${ANNOTATION_LOCATION}`]: locationKey,
        },
        fields: ['kind', 'metadata.namespace', 'metadata.name'],
      },
      { credentials: await this.options.auth.getOwnServiceCredentials() },
    );
    const removed = existing.items
      .map(e => stringifyEntityRef(e))
      .filter(ref => !current.has(ref))
      .map(entityRef => ({ entityRef, locationKey }));

    await this.connection!.applyMutation({ type: 'delta', added, removed });
    this.emittedGenerations.set(locationKey, scope.generation);
  }
}
