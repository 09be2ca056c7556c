/**
 * The normalized inventory of an API Gateway estate: what discovery stores and what the
 * entity pages, the domain logic and the access workflow read. Plain serializable data
 * (ISO dates as strings) so it crosses the backend/frontend boundary unchanged.
 *
 * @packageDocumentation
 */

/** The three API Gateway API flavours. */
export type ApiType = 'REST' | 'HTTP' | 'WEBSOCKET';

/** REST APIs have one of three endpoint types; HTTP and WebSocket APIs are always REGIONAL. */
export type EndpointType = 'PRIVATE' | 'REGIONAL' | 'EDGE';

/** Authorization of one method or route, as API Gateway names it. */
export type AuthorizationType =
  | 'NONE'
  | 'AWS_IAM'
  | 'CUSTOM'
  | 'COGNITO_USER_POOLS'
  | 'JWT';

/** An AWS account of the estate. */
export interface AccountRecord {
  accountId: string;
  /** Human name (from Organizations, the config or the account alias). */
  name?: string;
}

/** One stage (REST) or stage (v2) of an API. */
export interface StageRecord {
  stageName: string;
  deploymentId?: string;
  /** ISO timestamp of the stage's last update (its last deployment in practice). */
  lastUpdatedDate?: string;
  /** ISO timestamp of the deployment the stage points at, when known. */
  deployedAt?: string;
  cacheClusterEnabled?: boolean;
  /** Cache size in GB as API Gateway spells it: '0.5', '1.6', '6.1', ... */
  cacheClusterSize?: string;
  cacheClusterStatus?: string;
  webAclArn?: string;
  tracingEnabled?: boolean;
  /** HTTP/WebSocket APIs: stage redeploys itself on every change. */
  autoDeploy?: boolean;
  variables?: Record<string, string>;
}

/** A REST method (resource path + HTTP method) or a v2 route. */
export interface RouteRecord {
  /** `{resourceId}/{METHOD}` for REST, the RouteId for v2. */
  id: string;
  /** REST: 'GET', 'ANY', ...; HTTP: the method part of the route key; WebSocket: undefined. */
  method?: string;
  /** REST: the resource path ('/pets/{id}'); HTTP: the path part of the route key. */
  path?: string;
  /** 'GET /pets/{id}', '$default', '$connect', 'sendMessage', ... */
  routeKey: string;
  authorizationType: AuthorizationType;
  authorizerId?: string;
  apiKeyRequired: boolean;
  authorizationScopes?: string[];
  integrationId?: string;
  /**
   * Set only when the API's stages run different deployments: the stages whose deployment
   * has this route.
   */
  stages?: string[];
}

/** Where an integration sends the request. */
export type IntegrationTarget =
  | { kind: 'lambda'; functionArn: string }
  | { kind: 'http'; url: string }
  | { kind: 'aws-service'; service: string; action?: string; uri: string }
  | { kind: 'mock' }
  | {
      kind: 'vpc-link';
      vpcLinkId: string;
      vpcLinkVersion: 'V1' | 'V2';
      /** NLB for V1 links; ALB, NLB or Cloud Map for V2 integrations. */
      targetType: 'NLB' | 'ALB' | 'CLOUD_MAP' | 'UNKNOWN';
      /** Load balancer, listener or Cloud Map service ARN when known. */
      targetArn?: string;
      listenerArn?: string;
      /** The integration URI as configured (NLB DNS name for V1 links). */
      uri?: string;
    };

export interface IntegrationRecord {
  /** REST: `{resourceId}/{METHOD}`; v2: the IntegrationId. */
  id: string;
  type: 'HTTP' | 'HTTP_PROXY' | 'AWS' | 'AWS_PROXY' | 'MOCK';
  connectionType: 'INTERNET' | 'VPC_LINK';
  connectionId?: string;
  uri?: string;
  subtype?: string;
  target: IntegrationTarget;
}

export interface LoadBalancerRecord {
  arn: string;
  name: string;
  type: 'network' | 'application' | 'gateway';
  dnsName?: string;
  scheme?: string;
  state?: string;
  listeners: Array<{ arn: string; port?: number; protocol?: string }>;
}

export interface VpcLinkRecord {
  id: string;
  name: string;
  version: 'V1' | 'V2';
  /** AVAILABLE, PENDING, FAILED, INACTIVE (V2 after 60 days without traffic), ... */
  status?: string;
  statusMessage?: string;
  /** V1: the NLB ARNs. */
  targetArns?: string[];
  subnetIds?: string[];
  securityGroupIds?: string[];
  loadBalancers: LoadBalancerRecord[];
}

export interface AuthorizerRecord {
  id: string;
  name: string;
  /** REST: TOKEN | REQUEST | COGNITO_USER_POOLS; v2: REQUEST | JWT. */
  type: 'TOKEN' | 'REQUEST' | 'COGNITO_USER_POOLS' | 'JWT';
  /** Lambda authorizers: the function ARN parsed from the authorizer URI. */
  lambdaArn?: string;
  authorizerUri?: string;
  /** Cognito user pool ARNs. */
  providerArns?: string[];
  /** Header / query / context sources, as configured ('method.request.header.Authorization', '$request.header.Authorization'). */
  identitySource?: string[];
  jwtIssuer?: string;
  jwtAudience?: string[];
  resultTtlSeconds?: number;
}

/** A custom domain name and the mappings of it that point at one API. */
export interface DomainRecord {
  domainName: string;
  /** Private custom domains only. */
  domainNameId?: string;
  domainNameArn?: string;
  endpointType: EndpointType;
  accountId: string;
  region: string;
  /** Raw resource policy of a private custom domain, as AWS returns it. */
  policy?: string;
  /** VPC endpoints with a domain name access association (private domains). */
  accessAssociations: Array<{ vpcEndpointId: string; arn?: string }>;
  mappings: Array<{ basePath: string; apiId: string; stage?: string }>;
  regionalDomainName?: string;
}

/** An execute-api interface VPC endpoint anywhere in the estate. */
export interface VpcEndpointRecord {
  vpcEndpointId: string;
  vpcId: string;
  /** The account that owns the endpoint (may differ from the API's account). */
  ownerAccountId: string;
  region: string;
  /** available, pending, deleted, ... */
  state: string;
  privateDnsEnabled: boolean;
  serviceName: string;
  /** Public DNS names of the endpoint, regional name first: vpce-...-....execute-api.{region}.vpce.amazonaws.com */
  dnsNames: string[];
  subnetIds: string[];
  securityGroupIds: string[];
  tags: Record<string, string>;
  name?: string;
}

export interface VpcRecord {
  vpcId: string;
  accountId: string;
  region: string;
  cidrBlocks: string[];
  name?: string;
  isDefault?: boolean;
}

/** Requests (or WebSocket messages) over the last `periodDays` days, from CloudWatch. */
export interface TrafficRecord {
  periodDays: number;
  /** Total `Count` (REST/HTTP) or `MessageCount` (WebSocket) over the period. */
  total: number;
  /** One point per day, oldest first, ISO dates (YYYY-MM-DD). */
  daily: Array<{ date: string; count: number }>;
  byStage?: Record<string, number>;
  /** WebSocket only: ConnectCount over the period. */
  connectCount?: number;
}

/**
 * Where an API's routes, integrations and authorizers were read from. `deployment`: the
 * exports of its stages' deployments, which is what callers reach (`stageName` is the stage
 * the API page describes first). `working-copy`: the API's current configuration, read
 * because no stage has a deployment; callers cannot reach it until it is deployed.
 */
export type DetailsSource =
  | { kind: 'deployment'; stageName: string; deploymentId?: string }
  | { kind: 'working-copy' };

/** Everything stored about one API. */
export interface ApiRecord {
  apiId: string;
  name: string;
  description?: string;
  apiType: ApiType;
  endpointType: EndpointType;
  accountId: string;
  accountName?: string;
  region: string;
  /** 'aws', 'aws-cn', 'aws-us-gov'. */
  partition: string;
  /** arn:{partition}:apigateway:{region}::/restapis/{id} (or /apis/{id} for v2). */
  arn: string;
  /** arn:{partition}:execute-api:{region}:{account}:{apiId}: the prefix of every invoke ARN. */
  executeApiArn: string;
  /** v2: ApiEndpoint; REST: https://{id}.execute-api.{region}.amazonaws.com. */
  apiEndpoint: string;
  disableExecuteApiEndpoint: boolean;
  ipAddressType?: 'ipv4' | 'dualstack';
  apiKeySource?: 'HEADER' | 'AUTHORIZER';
  /** WebSocket APIs: how a message picks its route, e.g. `$request.body.action`. */
  routeSelectionExpression?: string;
  /** PRIVATE REST APIs: VPC endpoints associated for Route 53 alias names. */
  vpcEndpointIds: string[];
  /** The resource policy as API Gateway returns it (possibly escaped once more). */
  policy?: string;
  tags: Record<string, string>;
  createdDate?: string;
  stages: StageRecord[];
  routes: RouteRecord[];
  integrations: IntegrationRecord[];
  authorizers: AuthorizerRecord[];
  vpcLinks: VpcLinkRecord[];
  domains: DomainRecord[];
  traffic?: TrafficRecord;
  /** Absent for WebSocket APIs, which are read call by call and have no export. */
  detailsSource?: DetailsSource;
}

/** The parts of the estate that answers about one API need besides the API itself. */
export interface EstateContext {
  accounts: AccountRecord[];
  vpcEndpoints: VpcEndpointRecord[];
  vpcs: VpcRecord[];
}
