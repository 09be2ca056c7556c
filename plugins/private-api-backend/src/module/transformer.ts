import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  ANNOTATION_VIEW_URL,
  ApiEntity,
  ResourceEntity,
} from '@backstage/catalog-model';
import {
  ANNOTATION_API_GATEWAY_API_ID,
  ANNOTATION_API_GATEWAY_API_TYPE,
  ANNOTATION_API_GATEWAY_ENDPOINT_TYPE,
  ANNOTATION_AWS_ACCOUNT_ID,
  ANNOTATION_AWS_ARN,
  ANNOTATION_AWS_REGION,
  ANNOTATION_VPC_ENDPOINT_ID,
  ANNOTATION_VPC_ID,
  ApiRecord,
  apiEntityName,
  IntegrationResource,
  integrationResourceEntityName,
  VpcEndpointRecord,
} from '@private-api-catalog/plugin-private-api-common';
import { catalogOwner } from '../inventory/owner';

/** Marks which of owner, system and lifecycle came from configured defaults, not tags. */
export const ANNOTATION_DEFAULTED_FIELDS =
  'private-api.catalog/defaulted-fields';

export interface TransformOptions {
  tagKeys: { owner: string; system: string; lifecycle: string };
  defaults: { owner?: string; system?: string; lifecycle: string };
}

export interface TransformResult<T> {
  entity: T;
  /** Fields that fell back to a default because the tag was missing. */
  defaulted: Array<'owner' | 'system' | 'lifecycle'>;
}

/**
 * The location of an account and Region's entities, used as their `locationKey` and
 * managed-by-location: mutations of one scope never touch another scope's entities.
 */
export function scopeLocationKey(accountId: string, region: string) {
  return `private-api:${accountId}/${region}`;
}

export function consoleUrl(api: ApiRecord): string {
  const host = `https://${api.region}.console.aws.amazon.com/apigateway/main`;
  return api.apiType === 'REST'
    ? `${host}/apis/${api.apiId}/resources?api=${api.apiId}&region=${api.region}`
    : `${host}/api-detail?api=${api.apiId}&region=${api.region}`;
}

/** A readable list of routes, for APIs without an exported OpenAPI definition. */
export function describeRoutes(api: ApiRecord): string {
  const lines = [
    `# ${api.name} (${api.apiType} API ${api.apiId}, ${api.endpointType}, ${api.region})`,
    '',
    'No OpenAPI export is available for this API; its routes as discovered:',
    '',
  ];
  for (const route of api.routes) {
    const auth =
      route.authorizationType === 'NONE'
        ? 'no authorization'
        : route.authorizationType;
    lines.push(
      `- ${route.routeKey}  (${auth}${
        route.apiKeyRequired ? ', API key required' : ''
      })`,
    );
  }
  if (api.routes.length === 0) lines.push('- (no routes discovered)');
  return lines.join('\n');
}

function pick(
  tags: Record<string, string>,
  key: string,
  fallback: string | undefined,
): { value?: string; defaulted: boolean } {
  const tagged = tags[key]?.trim();
  if (tagged) return { value: tagged, defaulted: false };
  return { value: fallback, defaulted: true };
}

/** Turns one API of the inventory into a catalog `API` entity. */
export function apiToEntity(
  api: ApiRecord,
  definition: string | undefined,
  options: TransformOptions,
): TransformResult<ApiEntity> {
  const location = scopeLocationKey(api.accountId, api.region);
  // One rule with the inventory's stored owner, which the explorer filters and sorts by.
  const owner = catalogOwner(api.tags, {
    tagKey: options.tagKeys.owner,
    defaultOwner: options.defaults.owner,
  });
  const system = pick(
    api.tags,
    options.tagKeys.system,
    options.defaults.system,
  );
  const lifecycle = pick(
    api.tags,
    options.tagKeys.lifecycle,
    options.defaults.lifecycle,
  );
  const defaulted = (
    [
      ['owner', owner],
      ['system', system],
      ['lifecycle', lifecycle],
    ] as const
  )
    .filter(([, v]) => v.defaulted)
    .map(([k]) => k);
  const account = api.accountName
    ? `${api.accountName} (${api.accountId})`
    : api.accountId;

  const entity: ApiEntity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'API',
    metadata: {
      name: apiEntityName(api),
      title: api.name,
      description:
        api.description ??
        `${
          api.endpointType === 'PRIVATE'
            ? 'Private'
            : api.endpointType.toLowerCase()
        } ${api.apiType} API in account ${account}, ${api.region}.`,
      annotations: {
        [ANNOTATION_LOCATION]: location,
        [ANNOTATION_ORIGIN_LOCATION]: location,
        [ANNOTATION_VIEW_URL]: consoleUrl(api),
        [ANNOTATION_AWS_ACCOUNT_ID]: api.accountId,
        [ANNOTATION_AWS_REGION]: api.region,
        [ANNOTATION_AWS_ARN]: api.arn,
        [ANNOTATION_API_GATEWAY_API_ID]: api.apiId,
        [ANNOTATION_API_GATEWAY_API_TYPE]: api.apiType,
        [ANNOTATION_API_GATEWAY_ENDPOINT_TYPE]: api.endpointType,
        ...(defaulted.length > 0
          ? { [ANNOTATION_DEFAULTED_FIELDS]: defaulted.join(',') }
          : {}),
      },
      tags: [
        'aws',
        'api-gateway',
        api.apiType.toLowerCase(),
        api.endpointType.toLowerCase(),
      ],
      links: [{ url: consoleUrl(api), title: 'AWS console', icon: 'cloud' }],
    },
    spec: {
      type: definition ? 'openapi' : 'aws-api-gateway',
      lifecycle: lifecycle.value ?? 'production',
      owner: owner.value,
      ...(system.value ? { system: system.value } : {}),
      definition: definition ?? describeRoutes(api),
    },
  };
  return { entity, defaulted };
}

/**
 * An execute-api VPC endpoint as a `Resource` entity: a dependency of the APIs associated with
 * it (their Route 53 aliases resolve through it), and dependent on the APIs whose resource
 * policy lets it in (the calls it may make).
 */
export function vpcEndpointToEntity(
  endpoint: VpcEndpointRecord,
  dependencyOf: string[],
  options: TransformOptions,
  dependsOn: string[] = [],
): TransformResult<ResourceEntity> {
  const owner = pick(
    endpoint.tags,
    options.tagKeys.owner,
    options.defaults.owner,
  );
  const system = pick(
    endpoint.tags,
    options.tagKeys.system,
    options.defaults.system,
  );
  const url = `https://${endpoint.region}.console.aws.amazon.com/vpcconsole/home?region=${endpoint.region}#EndpointDetails:vpcEndpointId=${endpoint.vpcEndpointId}`;
  return {
    defaulted: [
      ...(owner.defaulted ? (['owner'] as const) : []),
      ...(system.defaulted ? (['system'] as const) : []),
    ],
    entity: {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        name: endpoint.vpcEndpointId,
        title: endpoint.name
          ? `${endpoint.name} (${endpoint.vpcEndpointId})`
          : endpoint.vpcEndpointId,
        description: `execute-api interface VPC endpoint in ${
          endpoint.vpcId
        } (account ${endpoint.ownerAccountId}, ${
          endpoint.region
        }), private DNS ${endpoint.privateDnsEnabled ? 'on' : 'off'}.`,
        annotations: {
          [ANNOTATION_LOCATION]: scopeLocationKey(
            endpoint.ownerAccountId,
            endpoint.region,
          ),
          [ANNOTATION_ORIGIN_LOCATION]: scopeLocationKey(
            endpoint.ownerAccountId,
            endpoint.region,
          ),
          [ANNOTATION_VIEW_URL]: url,
          [ANNOTATION_AWS_ACCOUNT_ID]: endpoint.ownerAccountId,
          [ANNOTATION_AWS_REGION]: endpoint.region,
          [ANNOTATION_VPC_ENDPOINT_ID]: endpoint.vpcEndpointId,
          [ANNOTATION_VPC_ID]: endpoint.vpcId,
        },
        tags: ['aws', 'vpc-endpoint', 'execute-api'],
      },
      spec: {
        type: 'aws-vpc-endpoint',
        owner: owner.value ?? 'unknown',
        ...(system.value ? { system: system.value } : {}),
        dependencyOf,
        ...(dependsOn.length ? { dependsOn } : {}),
      },
    },
  };
}

function integrationResourceConsoleUrl(resource: IntegrationResource): string {
  const host = `https://${resource.region}.console.aws.amazon.com`;
  return resource.kind === 'lambda-function'
    ? `${host}/lambda/home?region=${resource.region}#/functions/${resource.functionName}`
    : `${host}/ec2/home?region=${resource.region}#LoadBalancer:loadBalancerArn=${resource.arn}`;
}

const LOAD_BALANCER_LABELS = {
  network: 'Network',
  application: 'Application',
  gateway: 'Gateway',
} as const;

function describeIntegrationResource(resource: IntegrationResource): string {
  const where = `account ${resource.accountId}, ${resource.region}`;
  if (resource.kind === 'load-balancer') {
    const type = LOAD_BALANCER_LABELS[resource.type];
    return `${type} Load Balancer in ${where}, reached by API Gateway through a VPC link${
      resource.dnsName ? ` (${resource.dnsName})` : ''
    }.`;
  }
  const roles = [
    ...(resource.roles.includes('integration') ? ['integration'] : []),
    ...(resource.roles.includes('authorizer') ? ['Lambda authorizer'] : []),
  ].join(' and ');
  return `Lambda function in ${where}: the ${roles} of the APIs that depend on it.`;
}

/**
 * A Lambda function or load balancer that APIs send requests to, as a `Resource` entity the
 * APIs depend on (`dependencyOf` them). It belongs to the account and Region of its own ARN;
 * owner and system are those of the first API that depends on it, as AWS gives the
 * function or load balancer no tags here.
 */
export function integrationResourceToEntity(
  resource: IntegrationResource,
  dependencyOf: string[],
  ownership: { owner: string; system?: string },
): ResourceEntity {
  const location = scopeLocationKey(resource.accountId, resource.region);
  const url = integrationResourceConsoleUrl(resource);
  const isLambda = resource.kind === 'lambda-function';
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: integrationResourceEntityName(resource),
      title: isLambda ? resource.functionName : resource.name,
      description: describeIntegrationResource(resource),
      annotations: {
        [ANNOTATION_LOCATION]: location,
        [ANNOTATION_ORIGIN_LOCATION]: location,
        [ANNOTATION_VIEW_URL]: url,
        [ANNOTATION_AWS_ACCOUNT_ID]: resource.accountId,
        [ANNOTATION_AWS_REGION]: resource.region,
        [ANNOTATION_AWS_ARN]: resource.arn,
      },
      tags: isLambda
        ? ['aws', 'lambda']
        : ['aws', 'load-balancer', resource.type],
      links: [{ url, title: 'AWS console', icon: 'cloud' }],
    },
    spec: {
      type: resource.kind,
      owner: ownership.owner,
      ...(ownership.system ? { system: ownership.system } : {}),
      dependencyOf,
    },
  };
}
