/**
 * Pure mappings from AWS SDK response shapes to the inventory records of
 * `@private-api-catalog/plugin-private-api-common`. No I/O here: the crawlers call AWS,
 * these functions decide what the answers mean.
 */
import type {
  Authorizer as RestAuthorizer,
  Integration as RestIntegration,
  Method as RestMethod,
  Resource as RestResource,
  RestApi,
  Stage as RestStage,
} from '@aws-sdk/client-api-gateway';
import type {
  Api as V2Api,
  Authorizer as V2Authorizer,
  Integration as V2Integration,
  Route as V2Route,
  Stage as V2Stage,
} from '@aws-sdk/client-apigatewayv2';
import type {
  ApiRecord,
  AuthorizationType,
  AuthorizerRecord,
  EndpointType,
  IntegrationRecord,
  IntegrationTarget,
  RouteRecord,
  StageRecord,
} from '@private-api-catalog/plugin-private-api-common';

export interface ScopeIdentity {
  accountId: string;
  accountName?: string;
  region: string;
  partition: string;
}

/** The key under which the inventory stores an API: unique across accounts and Regions. */
export function apiKey(accountId: string, region: string, apiId: string) {
  return `${accountId}:${region}:${apiId}`;
}

/** The partition of a Region (aws-cn for China, aws-us-gov for GovCloud). */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

function dnsSuffix(partition: string) {
  return partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
}

function iso(date: Date | undefined): string | undefined {
  return date ? new Date(date).toISOString() : undefined;
}

/** `arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{fnArn}/invocations` → fnArn. */
export function lambdaArnFromUri(uri: string | undefined): string | undefined {
  if (!uri) return undefined;
  const match = /:lambda:path\/[^/]+\/functions\/(.+?)\/invocations/.exec(uri);
  if (match) return decodeURIComponent(match[1]);
  if (/^arn:[^:]+:lambda:/.test(uri)) return uri;
  return undefined;
}

/** The load balancer type an ELBv2 ARN names (`.../loadbalancer/app/...` or `/net/`). */
export function loadBalancerTypeOfArn(arn: string): 'ALB' | 'NLB' | 'UNKNOWN' {
  if (/:(loadbalancer|listener)\/app\//.test(arn)) return 'ALB';
  if (/:(loadbalancer|listener)\/net\//.test(arn)) return 'NLB';
  return 'UNKNOWN';
}

/** The stage fingerprint: unchanged deployment ids mean unchanged resources and export. */
export function deploymentFingerprint(stages: StageRecord[]): string {
  return stages
    .map(s => `${s.stageName}=${s.deploymentId ?? ''}`)
    .sort()
    .join(',');
}

function endpointTypeOf(api: RestApi): EndpointType {
  const types = api.endpointConfiguration?.types ?? [];
  if (types.includes('PRIVATE')) return 'PRIVATE';
  if (types.includes('EDGE')) return 'EDGE';
  return 'REGIONAL';
}

/** The top-level record of a REST API, without its children. */
export function restApiRecord(api: RestApi, scope: ScopeIdentity): ApiRecord {
  const apiId = api.id!;
  const { region, partition, accountId } = scope;
  return {
    apiId,
    name: api.name ?? apiId,
    description: api.description,
    apiType: 'REST',
    endpointType: endpointTypeOf(api),
    accountId,
    accountName: scope.accountName,
    region,
    partition,
    arn: `arn:${partition}:apigateway:${region}::/restapis/${apiId}`,
    executeApiArn: `arn:${partition}:execute-api:${region}:${accountId}:${apiId}`,
    apiEndpoint: `https://${apiId}.execute-api.${region}.${dnsSuffix(
      partition,
    )}`,
    disableExecuteApiEndpoint: api.disableExecuteApiEndpoint ?? false,
    ipAddressType: api.endpointConfiguration?.ipAddressType as
      | 'ipv4'
      | 'dualstack'
      | undefined,
    apiKeySource: api.apiKeySource as 'HEADER' | 'AUTHORIZER' | undefined,
    vpcEndpointIds: api.endpointConfiguration?.vpcEndpointIds ?? [],
    policy: api.policy,
    tags: api.tags ?? {},
    createdDate: iso(api.createdDate),
    stages: [],
    routes: [],
    integrations: [],
    authorizers: [],
    vpcLinks: [],
    domains: [],
  };
}

export function restStageRecord(stage: RestStage): StageRecord {
  return {
    stageName: stage.stageName!,
    deploymentId: stage.deploymentId,
    lastUpdatedDate: iso(stage.lastUpdatedDate),
    cacheClusterEnabled: stage.cacheClusterEnabled ?? false,
    cacheClusterSize: stage.cacheClusterEnabled
      ? stage.cacheClusterSize
      : undefined,
    cacheClusterStatus: stage.cacheClusterStatus,
    webAclArn: stage.webAclArn,
    tracingEnabled: stage.tracingEnabled,
    variables: stage.variables,
  };
}

/** What a REST integration points at. */
export function restIntegrationTarget(
  integration: RestIntegration,
): IntegrationTarget {
  if (integration.connectionType === 'VPC_LINK') {
    const listener = integration.integrationTarget;
    if (listener) {
      // VPC links V2 on REST APIs name the ALB/NLB listener directly.
      return {
        kind: 'vpc-link',
        vpcLinkId: integration.connectionId ?? '',
        vpcLinkVersion: 'V2',
        targetType: loadBalancerTypeOfArn(listener),
        listenerArn: listener,
        targetArn: listener,
        uri: integration.uri,
      };
    }
    return {
      kind: 'vpc-link',
      vpcLinkId: integration.connectionId ?? '',
      vpcLinkVersion: 'V1',
      targetType: 'NLB',
      uri: integration.uri,
    };
  }
  return targetFromTypeAndUri(integration.type, integration.uri);
}

function targetFromTypeAndUri(
  type: string | undefined,
  uri: string | undefined,
): IntegrationTarget {
  if (type === 'MOCK') return { kind: 'mock' };
  if (type === 'AWS' || type === 'AWS_PROXY') {
    const functionArn = lambdaArnFromUri(uri);
    if (functionArn) return { kind: 'lambda', functionArn };
    // arn:aws:apigateway:{region}:{service}:action/{Action} or :path/...
    const match =
      /^arn:[^:]+:apigateway:[^:]*:([^:]+):(action\/([^&?]+)|path\/.*)/.exec(
        uri ?? '',
      );
    return {
      kind: 'aws-service',
      service: match?.[1] ?? 'unknown',
      action: match?.[3],
      uri: uri ?? '',
    };
  }
  return { kind: 'http', url: uri ?? '' };
}

export function restIntegrationRecord(
  id: string,
  integration: RestIntegration,
): IntegrationRecord {
  return {
    id,
    type: (integration.type ?? 'MOCK') as IntegrationRecord['type'],
    connectionType:
      integration.connectionType === 'VPC_LINK' ? 'VPC_LINK' : 'INTERNET',
    connectionId: integration.connectionId,
    uri: integration.uri,
    target: restIntegrationTarget(integration),
  };
}

/** Methods of REST resources as routes, with the integration each one uses. */
export function restRoutes(
  resources: RestResource[],
  integrationOf: (
    resource: RestResource,
    method: string,
    m: RestMethod,
  ) => RestIntegration | undefined,
): { routes: RouteRecord[]; integrations: IntegrationRecord[] } {
  const routes: RouteRecord[] = [];
  const integrations: IntegrationRecord[] = [];
  for (const resource of resources) {
    for (const [method, m] of Object.entries(resource.resourceMethods ?? {})) {
      const id = `${resource.id}/${method}`;
      const integration = integrationOf(resource, method, m);
      if (integration)
        integrations.push(restIntegrationRecord(id, integration));
      routes.push({
        id,
        method,
        path: resource.path,
        routeKey: `${method} ${resource.path}`,
        authorizationType: (m.authorizationType ?? 'NONE') as AuthorizationType,
        authorizerId: m.authorizerId,
        apiKeyRequired: m.apiKeyRequired ?? false,
        authorizationScopes: m.authorizationScopes,
        integrationId: integration ? id : undefined,
      });
    }
  }
  return { routes, integrations };
}

function splitIdentitySource(source: string | undefined): string[] | undefined {
  if (!source) return undefined;
  return source
    .split(',')
    .map(s => s.trim())
    .filter(Boolean);
}

export function restAuthorizerRecord(a: RestAuthorizer): AuthorizerRecord {
  return {
    id: a.id!,
    name: a.name ?? a.id!,
    type: (a.type ?? 'TOKEN') as AuthorizerRecord['type'],
    authorizerUri: a.authorizerUri,
    lambdaArn: lambdaArnFromUri(a.authorizerUri),
    providerArns: a.providerARNs,
    identitySource: splitIdentitySource(a.identitySource),
    resultTtlSeconds: a.authorizerResultTtlInSeconds,
  };
}

/** The top-level record of an HTTP or WebSocket API, without its children. */
export function v2ApiRecord(api: V2Api, scope: ScopeIdentity): ApiRecord {
  const apiId = api.ApiId!;
  const { region, partition, accountId } = scope;
  return {
    apiId,
    name: api.Name ?? apiId,
    description: api.Description,
    apiType: api.ProtocolType === 'WEBSOCKET' ? 'WEBSOCKET' : 'HTTP',
    // HTTP and WebSocket APIs have no private endpoint type (AWS-FACTS §2).
    endpointType: 'REGIONAL',
    accountId,
    accountName: scope.accountName,
    region,
    partition,
    arn: `arn:${partition}:apigateway:${region}::/apis/${apiId}`,
    executeApiArn: `arn:${partition}:execute-api:${region}:${accountId}:${apiId}`,
    apiEndpoint:
      api.ApiEndpoint ??
      `${
        api.ProtocolType === 'WEBSOCKET' ? 'wss' : 'https'
      }://${apiId}.execute-api.${region}.${dnsSuffix(partition)}`,
    disableExecuteApiEndpoint: api.DisableExecuteApiEndpoint ?? false,
    ipAddressType: api.IpAddressType as 'ipv4' | 'dualstack' | undefined,
    ...(api.ProtocolType === 'WEBSOCKET' && api.RouteSelectionExpression
      ? { routeSelectionExpression: api.RouteSelectionExpression }
      : {}),
    vpcEndpointIds: [],
    tags: api.Tags ?? {},
    createdDate: iso(api.CreatedDate),
    stages: [],
    routes: [],
    integrations: [],
    authorizers: [],
    vpcLinks: [],
    domains: [],
  };
}

export function v2StageRecord(stage: V2Stage): StageRecord {
  return {
    stageName: stage.StageName!,
    deploymentId: stage.DeploymentId,
    lastUpdatedDate: iso(stage.LastUpdatedDate),
    autoDeploy: stage.AutoDeploy,
    variables: stage.StageVariables,
  };
}

export function v2IntegrationRecord(i: V2Integration): IntegrationRecord {
  const id = i.IntegrationId!;
  const base = {
    id,
    type: (i.IntegrationType ?? 'HTTP_PROXY') as IntegrationRecord['type'],
    connectionType: (i.ConnectionType === 'VPC_LINK'
      ? 'VPC_LINK'
      : 'INTERNET') as IntegrationRecord['connectionType'],
    connectionId: i.ConnectionId,
    uri: i.IntegrationUri,
    subtype: i.IntegrationSubtype,
  };
  if (i.ConnectionType === 'VPC_LINK') {
    const uri = i.IntegrationUri ?? '';
    const targetType = uri.includes(':servicediscovery:')
      ? 'CLOUD_MAP'
      : loadBalancerTypeOfArn(uri);
    return {
      ...base,
      target: {
        kind: 'vpc-link',
        vpcLinkId: i.ConnectionId ?? '',
        vpcLinkVersion: 'V2',
        targetType,
        targetArn: uri || undefined,
        listenerArn:
          targetType === 'ALB' || targetType === 'NLB' ? uri : undefined,
        uri: uri || undefined,
      },
    };
  }
  if (i.IntegrationSubtype) {
    // First-class AWS service integrations: SQS-SendMessage, EventBridge-PutEvents, ...
    const [service, action] = i.IntegrationSubtype.split('-');
    return {
      ...base,
      target: {
        kind: 'aws-service',
        service,
        action,
        uri: i.IntegrationSubtype,
      },
    };
  }
  return {
    ...base,
    target: targetFromTypeAndUri(i.IntegrationType, i.IntegrationUri),
  };
}

export function v2RouteRecord(r: V2Route): RouteRecord {
  const routeKey = r.RouteKey ?? '$default';
  const match = /^(\S+)\s+(\/.*)$/.exec(routeKey);
  return {
    id: r.RouteId!,
    method: match?.[1],
    path: match?.[2],
    routeKey,
    authorizationType: (r.AuthorizationType ?? 'NONE') as AuthorizationType,
    authorizerId: r.AuthorizerId,
    apiKeyRequired: r.ApiKeyRequired ?? false,
    authorizationScopes: r.AuthorizationScopes,
    integrationId: r.Target?.startsWith('integrations/')
      ? r.Target.slice('integrations/'.length)
      : undefined,
  };
}

export function v2AuthorizerRecord(a: V2Authorizer): AuthorizerRecord {
  return {
    id: a.AuthorizerId!,
    name: a.Name ?? a.AuthorizerId!,
    type: a.AuthorizerType === 'JWT' ? 'JWT' : 'REQUEST',
    authorizerUri: a.AuthorizerUri,
    lambdaArn: lambdaArnFromUri(a.AuthorizerUri),
    identitySource: a.IdentitySource,
    jwtIssuer: a.JwtConfiguration?.Issuer,
    jwtAudience: a.JwtConfiguration?.Audience,
    resultTtlSeconds: a.AuthorizerResultTtlInSeconds,
  };
}
