import type { Fault, QuotasInput } from './schema';

/**
 * The in-memory state the services answer from: built once from an estate document, with
 * defaults filled in, ids derived, ARNs computed and indexes by id. Writes
 * (UpdateRestApi, CreateDeployment) mutate it.
 */
export interface Estate {
  partition: string;
  mainAccount: string;
  organization: OrganizationState;
  accounts: AccountState[];
  accountsById: Map<string, AccountState>;
  /** Every VPC endpoint of the estate, for cross-account references. */
  vpcEndpointsById: Map<string, VpcEndpointState>;
  /** Static access key id → account. */
  accessKeys: Map<string, string>;
  quotas?: QuotasInput;
  latencyMs?: number;
  faults: Fault[];
}

export interface OrganizationState {
  id: string;
  managementAccount: string;
  delegatedAdmins: string[];
  emptyPages: boolean;
}

export interface AccountState {
  id: string;
  name: string;
  email: string;
  status: string;
  joined: Date;
  /** undefined: any role name is accepted. */
  roles?: Array<{ name: string; externalId?: string }>;
  regions: Map<string, RegionState>;
}

export interface RegionState {
  accountId: string;
  region: string;
  vpcs: VpcState[];
  vpcEndpoints: VpcEndpointState[];
  loadBalancers: LoadBalancerState[];
  loadBalancersByArn: Map<string, LoadBalancerState>;
  listenersByArn: Map<string, ListenerState>;
  vpcLinksV1: VpcLinkState[];
  vpcLinksV2: VpcLinkState[];
  restApis: RestApiState[];
  restApisById: Map<string, RestApiState>;
  v2Apis: V2ApiState[];
  v2ApisById: Map<string, V2ApiState>;
  domains: DomainState[];
}

export interface VpcState {
  id: string;
  accountId: string;
  cidrBlocks: string[];
  isDefault: boolean;
  tags: Record<string, string>;
}

export interface VpcEndpointState {
  id: string;
  accountId: string;
  region: string;
  vpcId: string;
  serviceName: string;
  type: 'Interface' | 'Gateway';
  state: string;
  privateDnsEnabled: boolean;
  subnetIds: string[];
  securityGroupIds: string[];
  dnsEntries: Array<{ dnsName: string; hostedZoneId: string }>;
  networkInterfaceIds: string[];
  /** JSON (unescaped): EC2 returns endpoint policies as plain JSON strings. */
  policyDocument: string;
  tags: Record<string, string>;
  createdAt: Date;
}

export interface ListenerState {
  arn: string;
  loadBalancerArn: string;
  port: number;
  protocol: string;
}

export interface LoadBalancerState {
  arn: string;
  name: string;
  type: 'network' | 'application';
  scheme: string;
  vpcId?: string;
  dnsName: string;
  canonicalHostedZoneId: string;
  state: string;
  createdAt: Date;
  availabilityZones: Array<{ zoneName: string; subnetId: string }>;
  securityGroups: string[];
  listeners: ListenerState[];
}

export interface VpcLinkState {
  id: string;
  name: string;
  version: 'V1' | 'V2';
  description?: string;
  targetArns: string[];
  subnetIds: string[];
  securityGroupIds: string[];
  status: string;
  statusMessage?: string;
  tags: Record<string, string>;
  createdAt: Date;
}

export interface RestIntegrationState {
  type: 'HTTP' | 'HTTP_PROXY' | 'AWS' | 'AWS_PROXY' | 'MOCK';
  httpMethod?: string;
  uri?: string;
  connectionType: 'INTERNET' | 'VPC_LINK';
  connectionId?: string;
  timeoutInMillis: number;
  passthroughBehavior: string;
  cacheNamespace: string;
}

export interface MethodState {
  httpMethod: string;
  authorizationType: string;
  authorizerId?: string;
  apiKeyRequired: boolean;
  authorizationScopes?: string[];
  operationName?: string;
  integration: RestIntegrationState;
}

export interface ResourceState {
  id: string;
  parentId?: string;
  pathPart?: string;
  path: string;
  /** Insertion-ordered by method. */
  methods: Map<string, MethodState>;
}

export interface RestAuthorizerState {
  id: string;
  name: string;
  type: 'TOKEN' | 'REQUEST' | 'COGNITO_USER_POOLS';
  providerARNs?: string[];
  authorizerUri?: string;
  identitySource: string;
  identityValidationExpression?: string;
  authorizerResultTtlInSeconds: number;
}

/** Traffic of one stage: requests (or WebSocket messages) and connections per day. */
export interface TrafficSpec {
  daily: number;
  connectsPerDay: number;
}

export interface RestStageState {
  stageName: string;
  description?: string;
  deploymentId: string;
  createdDate: Date;
  lastUpdatedDate: Date;
  cacheClusterEnabled: boolean;
  cacheClusterSize?: string;
  cacheClusterStatus?: string;
  tracingEnabled: boolean;
  webAclArn?: string;
  variables?: Record<string, string>;
  methodSettings: Record<string, Record<string, unknown>>;
  tags?: Record<string, string>;
  traffic: TrafficSpec;
}

export interface DeploymentState {
  id: string;
  description?: string;
  createdDate: Date;
  /**
   * What was deployed: the resources and authorizers at CreateDeployment, which GetExport
   * of a stage on this deployment answers from. Deployments built from the estate have none:
   * the estate's working copy is what they deployed.
   */
  snapshot?: Pick<RestApiState, 'resources' | 'authorizers'>;
}

export interface RestApiState {
  id: string;
  accountId: string;
  region: string;
  name: string;
  description?: string;
  endpointType: 'PRIVATE' | 'REGIONAL' | 'EDGE';
  vpcEndpointIds: string[];
  /** Compact JSON as the owner set it; answered escaped once more (see policy.ts). */
  policy?: string;
  tags: Record<string, string>;
  createdDate: Date;
  apiKeySource: string;
  disableExecuteApiEndpoint: boolean;
  ipAddressType: string;
  binaryMediaTypes?: string[];
  rootResourceId: string;
  resources: ResourceState[];
  resourcesById: Map<string, ResourceState>;
  authorizers: RestAuthorizerState[];
  stages: RestStageState[];
  deployments: DeploymentState[];
  openapi?: Record<string, unknown>;
}

export interface V2IntegrationState {
  integrationId: string;
  integrationType: 'HTTP' | 'HTTP_PROXY' | 'AWS' | 'AWS_PROXY' | 'MOCK';
  integrationUri?: string;
  integrationMethod?: string;
  integrationSubtype?: string;
  connectionType: 'INTERNET' | 'VPC_LINK';
  connectionId?: string;
  payloadFormatVersion?: string;
  timeoutInMillis: number;
  tlsConfig?: { serverNameToVerify: string };
  description?: string;
}

export interface V2RouteState {
  routeId: string;
  routeKey: string;
  target?: string;
  authorizationType: string;
  authorizerId?: string;
  authorizationScopes?: string[];
  apiKeyRequired: boolean;
}

export interface V2AuthorizerState {
  authorizerId: string;
  name: string;
  authorizerType: 'JWT' | 'REQUEST';
  identitySource: string[];
  jwtConfiguration?: { issuer: string; audience: string[] };
  authorizerUri?: string;
  authorizerPayloadFormatVersion?: string;
  authorizerResultTtlInSeconds?: number;
  enableSimpleResponses?: boolean;
}

export interface V2StageState {
  stageName: string;
  description?: string;
  autoDeploy: boolean;
  deploymentId: string;
  createdDate: Date;
  lastUpdatedDate: Date;
  stageVariables?: Record<string, string>;
  tags?: Record<string, string>;
  traffic: TrafficSpec;
}

export interface V2ApiState {
  apiId: string;
  accountId: string;
  region: string;
  name: string;
  protocolType: 'HTTP' | 'WEBSOCKET';
  description?: string;
  routeSelectionExpression: string;
  apiEndpoint: string;
  disableExecuteApiEndpoint: boolean;
  ipAddressType: string;
  tags: Record<string, string>;
  createdDate: Date;
  integrations: V2IntegrationState[];
  routes: V2RouteState[];
  authorizers: V2AuthorizerState[];
  stages: V2StageState[];
  openapi?: Record<string, unknown>;
}

export interface AccessAssociationState {
  arn: string;
  vpcEndpointId: string;
  /** The association belongs to the endpoint's owner (the consumer). */
  ownerAccountId: string;
}

export interface DomainState {
  domainName: string;
  domainNameId?: string;
  domainNameArn: string;
  accountId: string;
  region: string;
  endpointType: 'REGIONAL' | 'EDGE' | 'PRIVATE';
  certificateArn: string;
  securityPolicy: string;
  regionalDomainName?: string;
  regionalHostedZoneId?: string;
  distributionDomainName?: string;
  /** PRIVATE only: compact JSON, answered escaped. */
  policy?: string;
  accessAssociations: AccessAssociationState[];
  mappings: Array<{
    apiMappingId: string;
    basePath: string;
    apiId: string;
    stage: string;
  }>;
  tags: Record<string, string>;
}
