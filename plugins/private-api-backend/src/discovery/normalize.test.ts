import {
  deploymentFingerprint,
  lambdaArnFromUri,
  loadBalancerTypeOfArn,
  restApiRecord,
  restIntegrationRecord,
  restRoutes,
  v2ApiRecord,
  v2IntegrationRecord,
  v2RouteRecord,
} from './normalize';

const scope = {
  accountId: '111111111111',
  region: 'eu-west-1',
  partition: 'aws',
};

describe('normalize', () => {
  it('maps a private REST API with its associated endpoints and escaped policy untouched', () => {
    const record = restApiRecord(
      {
        id: 'a1b2c3d4e5',
        name: 'orders-internal',
        policy: '{\\"Version\\":\\"2012-10-17\\"}',
        endpointConfiguration: {
          types: ['PRIVATE'],
          vpcEndpointIds: ['vpce-0123456789abcdef0'],
        },
        tags: { owner: 'team-orders' },
      },
      scope,
    );
    expect(record).toMatchObject({
      apiType: 'REST',
      endpointType: 'PRIVATE',
      arn: 'arn:aws:apigateway:eu-west-1::/restapis/a1b2c3d4e5',
      executeApiArn: 'arn:aws:execute-api:eu-west-1:111111111111:a1b2c3d4e5',
      apiEndpoint: 'https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com',
      vpcEndpointIds: ['vpce-0123456789abcdef0'],
      policy: '{\\"Version\\":\\"2012-10-17\\"}',
    });
    expect(
      restApiRecord(
        { id: 'x', endpointConfiguration: { types: ['EDGE'] } },
        scope,
      ).endpointType,
    ).toBe('EDGE');
  });

  it('treats HTTP and WebSocket APIs as REGIONAL, since they cannot be private', () => {
    const http = v2ApiRecord(
      {
        ApiId: 'h1',
        Name: 'h',
        ProtocolType: 'HTTP',
        ApiEndpoint: 'https://h1.execute-api.eu-west-1.amazonaws.com',
        RouteSelectionExpression: '$request.method $request.path',
      },
      scope,
    );
    const ws = v2ApiRecord(
      {
        ApiId: 'w1',
        Name: 'w',
        ProtocolType: 'WEBSOCKET',
        RouteSelectionExpression: '$request.body.action',
      },
      scope,
    );
    expect(http).toMatchObject({
      apiType: 'HTTP',
      endpointType: 'REGIONAL',
      arn: 'arn:aws:apigateway:eu-west-1::/apis/h1',
    });
    expect(ws).toMatchObject({
      apiType: 'WEBSOCKET',
      apiEndpoint: 'wss://w1.execute-api.eu-west-1.amazonaws.com',
    });
  });

  it('extracts Lambda function ARNs from integration and authorizer URIs', () => {
    expect(
      lambdaArnFromUri(
        'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:111111111111:function:orders/invocations',
      ),
    ).toBe('arn:aws:lambda:us-east-1:111111111111:function:orders');
    expect(
      lambdaArnFromUri('arn:aws:lambda:us-east-1:111111111111:function:x'),
    ).toBe('arn:aws:lambda:us-east-1:111111111111:function:x');
    expect(lambdaArnFromUri('https://example.com')).toBeUndefined();
  });

  it('names every REST integration target', () => {
    expect(restIntegrationRecord('r/GET', { type: 'MOCK' }).target).toEqual({
      kind: 'mock',
    });
    expect(
      restIntegrationRecord('r/GET', {
        type: 'AWS',
        uri: 'arn:aws:apigateway:us-east-1:sqs:action/SendMessage',
      }).target,
    ).toMatchObject({
      kind: 'aws-service',
      service: 'sqs',
      action: 'SendMessage',
    });
    expect(
      restIntegrationRecord('r/GET', {
        type: 'HTTP_PROXY',
        uri: 'https://backend.example.com/{proxy}',
      }).target,
    ).toEqual({
      kind: 'http',
      url: 'https://backend.example.com/{proxy}',
    });
    expect(
      restIntegrationRecord('r/GET', {
        type: 'HTTP_PROXY',
        connectionType: 'VPC_LINK',
        connectionId: 'vl1',
        uri: 'http://nlb.example/',
      }).target,
    ).toMatchObject({
      kind: 'vpc-link',
      vpcLinkVersion: 'V1',
      targetType: 'NLB',
      vpcLinkId: 'vl1',
    });
    expect(
      restIntegrationRecord('r/GET', {
        type: 'HTTP_PROXY',
        connectionType: 'VPC_LINK',
        connectionId: 'v2link',
        integrationTarget:
          'arn:aws:elasticloadbalancing:us-east-1:111111111111:listener/app/alb/1/2',
      }).target,
    ).toMatchObject({
      kind: 'vpc-link',
      vpcLinkVersion: 'V2',
      targetType: 'ALB',
    });
  });

  it('turns REST resources into routes that reference their integrations', () => {
    const { routes, integrations } = restRoutes(
      [
        {
          id: 'res1',
          path: '/orders',
          resourceMethods: {
            GET: {
              httpMethod: 'GET',
              authorizationType: 'CUSTOM',
              authorizerId: 'auth1',
              apiKeyRequired: true,
              methodIntegration: { type: 'MOCK' },
            },
            OPTIONS: { httpMethod: 'OPTIONS', authorizationType: 'NONE' },
          },
        },
      ],
      (_resource, _method, m) => m.methodIntegration,
    );
    expect(routes).toEqual([
      expect.objectContaining({
        id: 'res1/GET',
        routeKey: 'GET /orders',
        authorizationType: 'CUSTOM',
        authorizerId: 'auth1',
        apiKeyRequired: true,
        integrationId: 'res1/GET',
      }),
      expect.objectContaining({
        id: 'res1/OPTIONS',
        authorizationType: 'NONE',
        integrationId: undefined,
      }),
    ]);
    expect(integrations.map(i => i.id)).toEqual(['res1/GET']);
  });

  it('classifies v2 private integrations by the ARN they name', () => {
    const target = (uri: string) =>
      v2IntegrationRecord({
        IntegrationId: 'i1',
        IntegrationType: 'HTTP_PROXY',
        ConnectionType: 'VPC_LINK',
        ConnectionId: 'vl2',
        IntegrationUri: uri,
      }).target;
    expect(
      target('arn:aws:elasticloadbalancing:us-east-1:1:listener/app/a/b/c'),
    ).toMatchObject({ targetType: 'ALB' });
    expect(
      target('arn:aws:elasticloadbalancing:us-east-1:1:listener/net/a/b/c'),
    ).toMatchObject({ targetType: 'NLB' });
    expect(
      target('arn:aws:servicediscovery:us-east-1:1:service/srv-123'),
    ).toMatchObject({ targetType: 'CLOUD_MAP', listenerArn: undefined });
    expect(
      loadBalancerTypeOfArn(
        'arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/net/x/y',
      ),
    ).toBe('NLB');
    expect(
      v2IntegrationRecord({
        IntegrationId: 'i2',
        IntegrationType: 'AWS_PROXY',
        IntegrationSubtype: 'SQS-SendMessage',
      }).target,
    ).toMatchObject({
      kind: 'aws-service',
      service: 'SQS',
      action: 'SendMessage',
    });
  });

  it('splits v2 route keys and reads the integration id from the target', () => {
    expect(
      v2RouteRecord({
        RouteId: 'r1',
        RouteKey: 'POST /orders/{id}',
        Target: 'integrations/abc',
        AuthorizationType: 'JWT',
      }),
    ).toMatchObject({
      method: 'POST',
      path: '/orders/{id}',
      integrationId: 'abc',
      authorizationType: 'JWT',
    });
    expect(
      v2RouteRecord({ RouteId: 'r2', RouteKey: '$connect' }),
    ).toMatchObject({ method: undefined, routeKey: '$connect' });
  });

  it('fingerprints stages independently of their order', () => {
    expect(
      deploymentFingerprint([
        { stageName: 'prod', deploymentId: 'd2' },
        { stageName: 'dev', deploymentId: 'd1' },
      ]),
    ).toBe(
      deploymentFingerprint([
        { stageName: 'dev', deploymentId: 'd1' },
        { stageName: 'prod', deploymentId: 'd2' },
      ]),
    );
  });
});
