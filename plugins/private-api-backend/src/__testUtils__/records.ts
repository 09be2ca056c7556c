import type {
  ApiRecord,
  VpcEndpointRecord,
} from '@private-api-catalog/plugin-private-api-common';

/** A private REST API record with one of each child, for store and transformer tests. */
export function privateRestApi(overrides: Partial<ApiRecord> = {}): ApiRecord {
  const apiId = overrides.apiId ?? 'a1b2c3d4e5';
  const accountId = overrides.accountId ?? '111111111111';
  const region = overrides.region ?? 'us-east-1';
  return {
    apiId,
    name: 'orders-internal',
    apiType: 'REST',
    endpointType: 'PRIVATE',
    accountId,
    region,
    partition: 'aws',
    arn: `arn:aws:apigateway:${region}::/restapis/${apiId}`,
    executeApiArn: `arn:aws:execute-api:${region}:${accountId}:${apiId}`,
    apiEndpoint: `https://${apiId}.execute-api.${region}.amazonaws.com`,
    disableExecuteApiEndpoint: false,
    vpcEndpointIds: ['vpce-0123456789abcdef0'],
    policy: '{\\"Version\\":\\"2012-10-17\\",\\"Statement\\":[]}',
    tags: { owner: 'team-orders', system: 'commerce' },
    stages: [
      { stageName: 'prod', deploymentId: 'dep001', cacheClusterEnabled: false },
    ],
    routes: [
      {
        id: 'res1/GET',
        method: 'GET',
        path: '/orders',
        routeKey: 'GET /orders',
        authorizationType: 'AWS_IAM',
        apiKeyRequired: false,
        integrationId: 'res1/GET',
      },
    ],
    integrations: [
      {
        id: 'res1/GET',
        type: 'HTTP_PROXY',
        connectionType: 'VPC_LINK',
        connectionId: 'vl0001',
        uri: 'http://orders-nlb.elb.amazonaws.com/orders',
        target: {
          kind: 'vpc-link',
          vpcLinkId: 'vl0001',
          vpcLinkVersion: 'V1',
          targetType: 'NLB',
          uri: 'http://orders-nlb.elb.amazonaws.com/orders',
        },
      },
    ],
    authorizers: [],
    vpcLinks: [],
    domains: [],
    ...overrides,
  };
}

/** An available execute-api interface endpoint with private DNS, in us-east-1 by default. */
export function executeApiEndpoint(
  endpoint: Pick<
    VpcEndpointRecord,
    'vpcEndpointId' | 'vpcId' | 'ownerAccountId'
  > &
    Partial<VpcEndpointRecord>,
): VpcEndpointRecord {
  const region = endpoint.region ?? 'us-east-1';
  return {
    region,
    state: 'available',
    privateDnsEnabled: true,
    serviceName: `com.amazonaws.${region}.execute-api`,
    dnsNames: [
      `${endpoint.vpcEndpointId}-x1.execute-api.${region}.vpce.amazonaws.com`,
    ],
    subnetIds: [],
    securityGroupIds: [],
    tags: {},
    ...endpoint,
  };
}
