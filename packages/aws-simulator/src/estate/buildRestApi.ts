import { ids } from '../ids';
import {
  BuildContext,
  defaultDailyTraffic,
  defaultDate,
  IssuePath,
  resolveAuthorization,
} from './buildContext';
import { findLoadBalancer } from './buildNetwork';
import type {
  DeploymentState,
  MethodState,
  RegionState,
  ResourceState,
  RestApiState,
  RestAuthorizerState,
  RestIntegrationState,
  RestStageState,
  TrafficSpec,
  VpcEndpointState,
} from './model';
import { executeApiArn, normalizePolicy } from './policy';
import type { IntegrationInput, RestApiInput } from './schema';

const PATH_PART = /^([A-Za-z0-9._~:@!$&'()*+,;=-]+|\{[A-Za-z0-9._-]+\+?\})$/;

export function trafficSpec(
  traffic: number | { daily: number; connectsPerDay?: number } | undefined,
  seed: string,
): TrafficSpec {
  let daily = defaultDailyTraffic(seed);
  if (typeof traffic === 'number') daily = traffic;
  else if (traffic) daily = traffic.daily;
  const connectsPerDay =
    typeof traffic === 'object' && traffic.connectsPerDay !== undefined
      ? traffic.connectsPerDay
      : Math.round(daily / 20);
  return { daily, connectsPerDay };
}

/** A REST API with its resources, methods, integrations, authorizers and stages. */
export function buildRestApi(
  ctx: BuildContext,
  input: RestApiInput,
  region: RegionState,
  endpoints: Map<string, VpcEndpointState>,
  path: IssuePath,
): RestApiState {
  const { accountId } = region;
  const id = ctx.allocateId(
    'API',
    input.id,
    `${accountId}:${region.region}:rest:${input.name}`,
    ids.api,
    [...path, 'id'],
  );
  const createdDate = input.createdDate
    ? new Date(input.createdDate)
    : defaultDate(id);

  if (input.vpcEndpointIds?.length && input.endpointType !== 'PRIVATE') {
    ctx.issue(
      [...path, 'vpcEndpointIds'],
      `only PRIVATE APIs have VPC endpoint associations (this one is ${input.endpointType})`,
    );
  }
  input.vpcEndpointIds?.forEach((endpointId, i) => {
    const endpoint = endpoints.get(endpointId);
    if (!endpoint || endpoint.region !== region.region) {
      ctx.issue(
        [...path, 'vpcEndpointIds', i],
        `'${endpointId}' is not a VPC endpoint of the estate in ${region.region} (an API and the endpoints associated with it share a Region)`,
      );
    }
  });

  const authorizers = (input.authorizers ?? []).map((authorizer, i) =>
    buildAuthorizer(ctx, authorizer, id, region, [...path, 'authorizers', i]),
  );

  const rootResourceId = ids.api(`${id}:resource:/`);
  const root: ResourceState = {
    id: rootResourceId,
    path: '/',
    methods: new Map(),
  };
  const api: RestApiState = {
    id,
    accountId,
    region: region.region,
    name: input.name,
    description: input.description,
    endpointType: input.endpointType,
    vpcEndpointIds: [...(input.vpcEndpointIds ?? [])],
    policy:
      input.policy === undefined
        ? undefined
        : normalizePolicy(
            input.policy,
            executeApiArn(ctx.partition, region.region, accountId, id),
          ),
    tags: input.tags ?? {},
    createdDate,
    apiKeySource: input.apiKeySource ?? 'HEADER',
    disableExecuteApiEndpoint: input.disableExecuteApiEndpoint ?? false,
    ipAddressType: input.ipAddressType ?? 'ipv4',
    binaryMediaTypes: input.binaryMediaTypes,
    rootResourceId,
    resources: [root],
    resourcesById: new Map([[rootResourceId, root]]),
    authorizers,
    stages: [],
    deployments: [],
    openapi: input.openapi,
  };
  const resourcesByPath = new Map<string, ResourceState>([['/', root]]);

  (input.methods ?? []).forEach((method, i) => {
    const methodPath = [...path, 'methods', i];
    const [httpMethod, resourcePath] = method.route.split(' ');
    const resource = ensureResource(ctx, api, resourcesByPath, resourcePath, [
      ...methodPath,
      'route',
    ]);
    if (!resource) return;
    if (resource.methods.has(httpMethod)) {
      ctx.issue([...methodPath, 'route'], `duplicate method '${method.route}'`);
      return;
    }
    const merged = { ...input.methodDefaults, ...stripUndefined(method) };
    resource.methods.set(
      httpMethod,
      buildMethod(ctx, merged, httpMethod, resource, api, region, methodPath),
    );
  });

  const stageInputs = input.stages ?? [{ name: 'prod' }];
  const deployments = new Map<string, DeploymentState>();
  stageInputs.forEach((stage, i) => {
    const stagePath = [...path, 'stages', i];
    if (api.stages.some(other => other.stageName === stage.name)) {
      ctx.issue([...stagePath, 'name'], `duplicate stage '${stage.name}'`);
    }
    const built = buildStage(stage, api);
    api.stages.push(built);
    if (!deployments.has(built.deploymentId)) {
      deployments.set(built.deploymentId, {
        id: built.deploymentId,
        description: `Deployment of ${stage.name}`,
        createdDate: built.lastUpdatedDate,
      });
    }
  });
  api.deployments = [...deployments.values()].sort(
    (a, b) => a.createdDate.getTime() - b.createdDate.getTime(),
  );
  return api;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(value).filter(([, v]) => v !== undefined),
  ) as Partial<T>;
}

/** The resource at `resourcePath`, creating it and its missing parents. */
function ensureResource(
  ctx: BuildContext,
  api: RestApiState,
  byPath: Map<string, ResourceState>,
  resourcePath: string,
  issuePath: IssuePath,
): ResourceState | undefined {
  const normalized =
    resourcePath.length > 1 ? resourcePath.replace(/\/$/, '') : resourcePath;
  const existing = byPath.get(normalized);
  if (existing) return existing;
  const parts = normalized.split('/').slice(1);
  const bad = parts.find(part => !PATH_PART.test(part));
  if (bad !== undefined) {
    ctx.issue(issuePath, `'${resourcePath}' has an invalid path part '${bad}'`);
    return undefined;
  }
  let parent = byPath.get('/')!;
  let current = '';
  for (const part of parts) {
    current += `/${part}`;
    let resource = byPath.get(current);
    if (!resource) {
      const id = ids.short(`${api.id}:resource:${current}`);
      resource = {
        id,
        parentId: parent.id,
        pathPart: part,
        path: current,
        methods: new Map(),
      };
      byPath.set(current, resource);
      api.resources.push(resource);
      api.resourcesById.set(id, resource);
    }
    parent = resource;
  }
  return parent;
}

function buildAuthorizer(
  ctx: BuildContext,
  input: NonNullable<RestApiInput['authorizers']>[number],
  apiId: string,
  region: RegionState,
  path: IssuePath,
): RestAuthorizerState {
  const id = ctx.allocateId(
    'authorizer',
    input.id,
    `${apiId}:authorizer:${input.name}`,
    ids.short,
    [...path, 'id'],
  );
  const lambda = input.lambda
    ? ctx.lambdaInvokeUri(
        ctx.lambdaArn(input.lambda, region.region, region.accountId),
        region.region,
      )
    : undefined;
  return {
    id,
    name: input.name,
    type: input.type,
    providerARNs:
      input.type === 'COGNITO_USER_POOLS'
        ? input.userPools?.map(pool =>
            pool.startsWith('arn:')
              ? pool
              : `arn:${ctx.partition}:cognito-idp:${region.region}:${region.accountId}:userpool/${pool}`,
          )
        : undefined,
    authorizerUri: input.type === 'COGNITO_USER_POOLS' ? undefined : lambda,
    identitySource:
      input.identitySource ?? 'method.request.header.Authorization',
    identityValidationExpression: input.identityValidationExpression,
    authorizerResultTtlInSeconds: input.ttl ?? 300,
  };
}

type MethodFields = Partial<NonNullable<RestApiInput['methodDefaults']>>;

function buildMethod(
  ctx: BuildContext,
  input: MethodFields & { operationName?: string },
  httpMethod: string,
  resource: ResourceState,
  api: RestApiState,
  region: RegionState,
  path: IssuePath,
): MethodState {
  const { authorizer, authorizationType } = resolveAuthorization(ctx, input, {
    apiName: api.name,
    authorizers: api.authorizers,
    idOf: a => a.id,
    kindOf: a => a.type,
    inferredOf: a =>
      a?.type === 'COGNITO_USER_POOLS' ? 'COGNITO_USER_POOLS' : 'CUSTOM',
    needAuthorizer: ['CUSTOM', 'COGNITO_USER_POOLS'],
    path,
  });
  return {
    httpMethod,
    authorizationType,
    authorizerId: authorizer?.id,
    apiKeyRequired: input.apiKeyRequired ?? false,
    authorizationScopes: input.scopes,
    operationName: input.operationName,
    integration: buildRestIntegration(
      ctx,
      input.integration ?? { mock: true },
      httpMethod,
      resource,
      region,
      [...path, 'integration'],
    ),
  };
}

function buildRestIntegration(
  ctx: BuildContext,
  input: IntegrationInput,
  httpMethod: string,
  resource: ResourceState,
  region: RegionState,
  path: IssuePath,
): RestIntegrationState {
  const base = {
    timeoutInMillis: input.timeoutMs ?? 29000,
    passthroughBehavior: 'WHEN_NO_MATCH',
    cacheNamespace: resource.id,
    connectionType: 'INTERNET' as const,
  };
  let built: RestIntegrationState;
  if (input.lambda) {
    const fn = ctx.lambdaArn(input.lambda, region.region, region.accountId);
    built = {
      ...base,
      type: 'AWS_PROXY',
      httpMethod: 'POST',
      uri: ctx.lambdaInvokeUri(fn, region.region),
    };
  } else if (input.http) {
    built = {
      ...base,
      type: 'HTTP_PROXY',
      httpMethod: input.method ?? httpMethod,
      uri: input.http,
    };
  } else if (input.aws) {
    const target = input.aws.action
      ? `action/${input.aws.action}`
      : `path/${input.aws.path ?? ''}`;
    built = {
      ...base,
      type: 'AWS',
      httpMethod: input.method ?? 'POST',
      uri: `arn:${ctx.partition}:apigateway:${region.region}:${input.aws.service}:${target}`,
    };
  } else if (input.vpcLink) {
    built = {
      ...base,
      ...vpcLinkV1Integration(ctx, input.vpcLink, httpMethod, region, [
        ...path,
        'vpcLink',
      ]),
    };
  } else {
    built = { ...base, type: 'MOCK' };
  }
  if (input.type) built.type = input.type;
  if (input.uri) built.uri = input.uri;
  if (input.method && !input.lambda) built.httpMethod = input.method;
  return built;
}

/**
 * A private integration through a VPC link V1: the URI is the NLB's DNS name (REST and
 * WebSocket APIs).
 */
export function vpcLinkV1Integration(
  ctx: BuildContext,
  link: NonNullable<IntegrationInput['vpcLink']>,
  httpMethod: string,
  region: RegionState,
  path: IssuePath,
): Pick<
  RestIntegrationState,
  'type' | 'httpMethod' | 'uri' | 'connectionType' | 'connectionId'
> {
  const found = region.vpcLinksV1.find(
    l => l.id === link.id || l.name === link.id,
  );
  if (!found) {
    const isV2 = region.vpcLinksV2.some(
      l => l.id === link.id || l.name === link.id,
    );
    ctx.issue(
      [...path, 'id'],
      isV2
        ? `'${link.id}' is a V2 VPC link: REST and WebSocket APIs use V1 links (to an NLB)`
        : `'${link.id}' is not a V1 VPC link of account ${region.accountId} in ${region.region}`,
    );
    return {
      type: 'HTTP_PROXY',
      httpMethod,
      connectionType: 'VPC_LINK',
      connectionId: link.id,
    };
  }
  const lb = link.loadBalancer
    ? findLoadBalancer(region, link.loadBalancer)
    : region.loadBalancersByArn.get(found.targetArns[0]);
  if (!lb || !found.targetArns.includes(lb.arn)) {
    ctx.issue(
      [...path, 'loadBalancer'],
      `'${link.loadBalancer}' is not a target of VPC link ${found.name}`,
    );
    return {
      type: 'HTTP_PROXY',
      httpMethod,
      connectionType: 'VPC_LINK',
      connectionId: found.id,
    };
  }
  const listener =
    link.port === undefined
      ? lb.listeners[0]
      : lb.listeners.find(l => l.port === link.port);
  if (!listener) {
    ctx.issue(
      [...path, 'port'],
      `load balancer ${lb.name} has no listener on port ${link.port}`,
    );
  }
  const port = listener?.port ?? link.port ?? 443;
  const scheme = port === 443 ? 'https' : 'http';
  return {
    type: 'HTTP_PROXY',
    httpMethod,
    uri: `${scheme}://${lb.dnsName}:${port}${link.path ?? ''}`,
    connectionType: 'VPC_LINK',
    connectionId: found.id,
  };
}

function buildStage(
  input: NonNullable<RestApiInput['stages']>[number],
  api: RestApiState,
): RestStageState {
  const cacheClusterEnabled =
    input.cacheClusterEnabled ?? input.cacheClusterSize !== undefined;
  const lastUpdatedDate = input.lastUpdated
    ? new Date(input.lastUpdated)
    : api.createdDate;
  return {
    stageName: input.name,
    description: input.description,
    deploymentId:
      input.deploymentId ?? ids.short(`${api.id}:deployment:${input.name}`),
    createdDate: api.createdDate,
    lastUpdatedDate,
    cacheClusterEnabled,
    cacheClusterSize: cacheClusterEnabled
      ? input.cacheClusterSize ?? '0.5'
      : undefined,
    cacheClusterStatus: cacheClusterEnabled
      ? input.cacheClusterStatus ?? 'AVAILABLE'
      : 'NOT_AVAILABLE',
    tracingEnabled: input.tracingEnabled ?? false,
    webAclArn: input.webAclArn,
    variables: input.variables,
    methodSettings:
      input.methodSettings ??
      (cacheClusterEnabled
        ? {
            '*/*': {
              cachingEnabled: true,
              cacheTtlInSeconds: 300,
              metricsEnabled: false,
              loggingLevel: 'OFF',
              dataTraceEnabled: false,
            },
          }
        : {}),
    tags: input.tags,
    traffic: trafficSpec(input.traffic, `${api.id}:${input.name}`),
  };
}
