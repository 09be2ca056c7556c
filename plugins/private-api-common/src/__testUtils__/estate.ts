/** Inventory records for the tests: a private REST API and the endpoints around it. */
import {
  ApiRecord,
  EstateContext,
  RouteRecord,
  VpcEndpointRecord,
} from '../inventory/types';
import { API_ARN } from './policies';

/** The policy of the private API: Allow anyone, Deny unless through vpce-0aaa1111. */
const PRIVATE_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: '*',
      Action: 'execute-api:Invoke',
      Resource: `${API_ARN}/*`,
    },
    {
      Effect: 'Deny',
      Principal: '*',
      Action: 'execute-api:Invoke',
      Resource: `${API_ARN}/*`,
      Condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-0aaa1111' } },
    },
  ],
});

export function route(
  routeKey: string,
  authorizationType: RouteRecord['authorizationType'] = 'NONE',
  extra: Partial<RouteRecord> = {},
): RouteRecord {
  const [method, path] = routeKey.includes(' ')
    ? routeKey.split(' ')
    : [undefined, undefined];
  return {
    id: routeKey,
    routeKey,
    method,
    path,
    authorizationType,
    apiKeyRequired: false,
    ...extra,
  };
}

/** A private REST API with one route per kind of authorization. */
export function privateApi(overrides: Partial<ApiRecord> = {}): ApiRecord {
  return {
    apiId: 'abc123',
    name: 'orders',
    apiType: 'REST',
    endpointType: 'PRIVATE',
    accountId: '123456789012',
    region: 'us-east-1',
    partition: 'aws',
    arn: 'arn:aws:apigateway:us-east-1::/restapis/abc123',
    executeApiArn: API_ARN,
    apiEndpoint: 'https://abc123.execute-api.us-east-1.amazonaws.com',
    disableExecuteApiEndpoint: false,
    vpcEndpointIds: ['vpce-0aaa1111'],
    policy: PRIVATE_POLICY,
    tags: {},
    stages: [{ stageName: 'prod' }, { stageName: 'test' }],
    routes: [
      route('GET /pets'),
      route('GET /pets/{id}', 'AWS_IAM'),
      route('POST /orders', 'CUSTOM', {
        authorizerId: 'tok',
        apiKeyRequired: true,
      }),
      route('GET /me', 'COGNITO_USER_POOLS', { authorizerId: 'pool' }),
    ],
    integrations: [],
    authorizers: [
      {
        id: 'tok',
        name: 'token-check',
        type: 'TOKEN',
        identitySource: ['method.request.header.X-Token'],
      },
      {
        id: 'pool',
        name: 'users',
        type: 'COGNITO_USER_POOLS',
        providerArns: [
          'arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_abc',
        ],
      },
    ],
    vpcLinks: [],
    domains: [],
    ...overrides,
  };
}

/** The execute-api endpoint the private API's policy allows, with private DNS. */
export function endpoint(
  overrides: Partial<VpcEndpointRecord> = {},
): VpcEndpointRecord {
  const id = overrides.vpcEndpointId ?? 'vpce-0aaa1111';
  const region = overrides.region ?? 'us-east-1';
  return {
    vpcEndpointId: id,
    vpcId: 'vpc-0aaa1111',
    ownerAccountId: '123456789012',
    region,
    state: 'available',
    privateDnsEnabled: true,
    serviceName: `com.amazonaws.${region}.execute-api`,
    dnsNames: [
      `${id}-abcd1234.execute-api.${region}.vpce.amazonaws.com`,
      `${id}-abcd1234-${region}a.execute-api.${region}.vpce.amazonaws.com`,
    ],
    subnetIds: ['subnet-1'],
    securityGroupIds: ['sg-0aaa1111'],
    tags: {},
    ...overrides,
  };
}

export function estate(endpoints: VpcEndpointRecord[]): EstateContext {
  return {
    accounts: [{ accountId: '123456789012' }],
    vpcEndpoints: endpoints,
    vpcs: [
      {
        vpcId: 'vpc-0aaa1111',
        accountId: '123456789012',
        region: 'us-east-1',
        cidrBlocks: ['10.0.0.0/16'],
      },
      {
        vpcId: 'vpc-0bbb2222',
        accountId: '123456789012',
        region: 'us-east-1',
        cidrBlocks: ['10.1.0.0/16'],
      },
      {
        vpcId: 'vpc-0ccc3333',
        accountId: '123456789012',
        region: 'eu-west-1',
        cidrBlocks: ['10.2.0.0/16'],
      },
    ],
  };
}
