import {
  detailsFromExport,
  mergeDeployments,
  withoutGatewayExtensions,
} from './exports';

/** Shaped like GetExport oas30 with extensions=integrations,authorizers from AWS. */
const restExport = {
  openapi: '3.0.1',
  info: { title: 'orders', version: '2024-01-01T00:00:00Z' },
  paths: {
    '/orders': {
      get: {
        security: [{ 'orders-pool': ['orders/read'] }, { api_key: [] }],
        'x-amazon-apigateway-integration': {
          type: 'aws_proxy',
          httpMethod: 'POST',
          uri: 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:111111111111:function:orders/invocations',
          passthroughBehavior: 'when_no_match',
        },
      },
      post: {
        security: [{ sigv4: [] }],
        'x-amazon-apigateway-integration': {
          type: 'http_proxy',
          httpMethod: 'POST',
          uri: 'http://orders.internal/orders',
          connectionType: 'VPC_LINK',
          connectionId: 'abc123',
        },
      },
    },
    '/{proxy+}': {
      parameters: [{ name: 'proxy', in: 'path', required: true }],
      'x-amazon-apigateway-any-method': {
        'x-amazon-apigateway-integration': { type: 'mock' },
      },
    },
  },
  components: {
    securitySchemes: {
      api_key: { type: 'apiKey', name: 'x-api-key', in: 'header' },
      sigv4: {
        type: 'apiKey',
        name: 'Authorization',
        in: 'header',
        'x-amazon-apigateway-authtype': 'awsSigv4',
      },
      'orders-pool': {
        type: 'apiKey',
        name: 'Authorization',
        in: 'header',
        'x-amazon-apigateway-authtype': 'cognito_user_pools',
        'x-amazon-apigateway-authorizer': {
          type: 'cognito_user_pools',
          providerARNs: [
            'arn:aws:cognito-idp:us-east-1:111111111111:userpool/us-east-1_abc',
          ],
        },
      },
    },
  },
};

describe('detailsFromExport', () => {
  it('reads REST methods, their authorization, API keys and integrations', () => {
    const details = detailsFromExport(restExport, 'REST');
    expect(details.routes).toEqual([
      expect.objectContaining({
        routeKey: 'GET /orders',
        authorizationType: 'COGNITO_USER_POOLS',
        authorizerId: 'orders-pool',
        authorizationScopes: ['orders/read'],
        apiKeyRequired: true,
        integrationId: 'GET /orders',
      }),
      expect.objectContaining({
        routeKey: 'POST /orders',
        authorizationType: 'AWS_IAM',
        apiKeyRequired: false,
      }),
      expect.objectContaining({
        routeKey: 'ANY /{proxy+}',
        method: 'ANY',
        path: '/{proxy+}',
        authorizationType: 'NONE',
      }),
    ]);
    expect(details.integrations.map(i => i.target)).toEqual([
      {
        kind: 'lambda',
        functionArn: 'arn:aws:lambda:us-east-1:111111111111:function:orders',
      },
      {
        kind: 'vpc-link',
        vpcLinkId: 'abc123',
        vpcLinkVersion: 'V1',
        targetType: 'NLB',
        uri: 'http://orders.internal/orders',
      },
      { kind: 'mock' },
    ]);
    expect(details.authorizers).toEqual([
      expect.objectContaining({
        id: 'orders-pool',
        name: 'orders-pool',
        type: 'COGNITO_USER_POOLS',
        providerArns: [
          'arn:aws:cognito-idp:us-east-1:111111111111:userpool/us-east-1_abc',
        ],
      }),
    ]);
  });

  it('reads HTTP routes with shared integrations ($ref), JWT authorizers and $default', () => {
    const details = detailsFromExport(
      {
        openapi: '3.0.1',
        paths: {
          '/items': {
            get: {
              security: [{ partners: ['items.read'] }],
              'x-amazon-apigateway-integration': {
                $ref: '#/components/x-amazon-apigateway-integrations/items',
              },
            },
            post: {
              'x-amazon-apigateway-integration': {
                $ref: '#/components/x-amazon-apigateway-integrations/items',
              },
            },
          },
          '/$default': {
            'x-amazon-apigateway-any-method': {
              'x-amazon-apigateway-integration': {
                type: 'aws_proxy',
                integrationSubtype: 'SQS-SendMessage',
              },
            },
          },
        },
        components: {
          securitySchemes: {
            partners: {
              type: 'oauth2',
              'x-amazon-apigateway-authorizer': {
                type: 'jwt',
                identitySource: '$request.header.Authorization',
                jwtConfiguration: {
                  issuer: 'https://issuer.example.com',
                  audience: ['partners'],
                },
              },
            },
          },
          'x-amazon-apigateway-integrations': {
            items: {
              type: 'http_proxy',
              uri: 'arn:aws:elasticloadbalancing:us-east-1:111111111111:listener/app/items/1/2',
              connectionType: 'VPC_LINK',
              connectionId: 'vl1',
            },
          },
        },
      },
      'HTTP',
    );
    expect(details.routes.map(r => [r.routeKey, r.authorizationType])).toEqual([
      ['GET /items', 'JWT'],
      ['POST /items', 'NONE'],
      ['$default', 'NONE'],
    ]);
    // Two routes, one integration.
    expect(details.integrations).toHaveLength(2);
    expect(details.routes[0].integrationId).toBe(
      details.routes[1].integrationId,
    );
    expect(details.integrations[0].target).toMatchObject({
      kind: 'vpc-link',
      vpcLinkVersion: 'V2',
      targetType: 'ALB',
    });
    expect(details.integrations[1].target).toMatchObject({
      kind: 'aws-service',
      service: 'SQS',
      action: 'SendMessage',
    });
    expect(details.authorizers).toEqual([
      expect.objectContaining({
        type: 'JWT',
        jwtIssuer: 'https://issuer.example.com',
        jwtAudience: ['partners'],
        identitySource: ['$request.header.Authorization'],
      }),
    ]);
  });
});

describe('mergeDeployments', () => {
  it('lists every deployed route with the stages that have it', () => {
    const prod = detailsFromExport(restExport, 'REST');
    const dev = detailsFromExport(
      { ...restExport, paths: { '/orders': restExport.paths['/orders'] } },
      'REST',
    );
    const merged = mergeDeployments([
      { stageNames: ['prod'], details: dev },
      { stageNames: ['dev', 'test'], details: prod },
    ]);
    expect(merged.routes.map(r => [r.routeKey, r.stages])).toEqual([
      ['GET /orders', ['dev', 'prod', 'test']],
      ['POST /orders', ['dev', 'prod', 'test']],
      ['ANY /{proxy+}', ['dev', 'test']],
    ]);
    expect(merged.integrations).toHaveLength(3);
  });
});

describe('withoutGatewayExtensions', () => {
  it('keeps the contract and drops what names backends', () => {
    const stripped = withoutGatewayExtensions(restExport);
    expect(JSON.stringify(stripped)).not.toContain('x-amazon-apigateway');
    expect(stripped.paths['/orders'].get.security).toEqual(
      restExport.paths['/orders'].get.security,
    );
  });
});
