import {
  ApiGatewayV2Client,
  ExportApiCommand,
  GetApiMappingsCommand,
  GetApisCommand,
  GetAuthorizersCommand,
  GetDomainNamesCommand,
  GetIntegrationsCommand,
  GetRoutesCommand,
  GetStagesCommand,
  GetVpcLinksCommand,
} from '@aws-sdk/client-apigatewayv2';
import { parse } from 'yaml';
import type { Simulator } from '../../index';
import {
  assumeDemoRole,
  clientConfig,
  DEMO,
  errorOf,
  startSimulator,
} from '../../__testUtils__';

/** API Gateway v2 (HTTP and WebSocket APIs) against the demo estate. */
describe('API Gateway v2', () => {
  let simulator: Simulator;
  let payments: ApiGatewayV2Client;
  let identity: ApiGatewayV2Client;
  let commerce: ApiGatewayV2Client;

  beforeAll(async () => {
    simulator = await startSimulator();
    payments = new ApiGatewayV2Client(
      clientConfig(simulator, await assumeDemoRole(simulator, DEMO.payments)),
    );
    identity = new ApiGatewayV2Client(
      clientConfig(simulator, await assumeDemoRole(simulator, DEMO.identity)),
    );
    commerce = new ApiGatewayV2Client(
      clientConfig(simulator, await assumeDemoRole(simulator, DEMO.commerce)),
    );
  });
  afterAll(() => simulator.stop());

  it('pages GetApis with MaxResults and NextToken', async () => {
    const first = await commerce.send(new GetApisCommand({ MaxResults: '2' }));
    expect(first.Items).toHaveLength(2);
    expect(first.NextToken).toEqual(expect.any(String));
    const second = await commerce.send(
      new GetApisCommand({ MaxResults: '2', NextToken: first.NextToken }),
    );
    expect(second.Items).toHaveLength(1);
    expect(second.NextToken).toBeUndefined();
    expect([...first.Items!, ...second.Items!].map(api => api.Name)).toEqual([
      'cart-http',
      'shipping-quotes-http',
      'order-status-ws',
    ]);
    expect(second.Items![0]).toMatchObject({
      ApiId: 'eo3ln9tllx',
      ProtocolType: 'WEBSOCKET',
      ApiEndpoint: 'wss://eo3ln9tllx.execute-api.us-east-1.amazonaws.com',
      RouteSelectionExpression: '$request.body.action',
      DisableExecuteApiEndpoint: false,
    });
    expect(first.Items![0].CreatedDate).toEqual(
      new Date('2023-05-05T00:00:00Z'),
    );
    expect(first.Items![0].Tags).toEqual({
      owner: 'team-orders',
      system: 'cart',
      lifecycle: 'production',
    });
  });

  it('rejects a bad MaxResults or NextToken', async () => {
    expect(
      (await errorOf(commerce.send(new GetApisCommand({ MaxResults: 'ten' }))))
        .name,
    ).toBe('BadRequestException');
    expect(
      (
        await errorOf(
          commerce.send(new GetApisCommand({ NextToken: 'forged' })),
        )
      ).name,
    ).toBe('BadRequestException');
  });

  it('lists a JWT-authorized HTTP API with a VPC link V2 integration to an ALB listener', async () => {
    const { Items: authorizers } = await payments.send(
      new GetAuthorizersCommand({ ApiId: DEMO.paymentsEventsHttp }),
    );
    expect(authorizers).toEqual([
      expect.objectContaining({
        Name: 'partners-jwt',
        AuthorizerType: 'JWT',
        IdentitySource: ['$request.header.Authorization'],
        JwtConfiguration: {
          Issuer:
            'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Pay7Qx2Lm',
          Audience: ['payments-events'],
        },
      }),
    ]);
    const { Items: integrations } = await payments.send(
      new GetIntegrationsCommand({ ApiId: DEMO.paymentsEventsHttp }),
    );
    expect(integrations).toHaveLength(1);
    expect(integrations![0]).toMatchObject({
      IntegrationType: 'HTTP_PROXY',
      ConnectionType: 'VPC_LINK',
      ConnectionId: 'v2pay1',
      IntegrationUri: expect.stringMatching(
        /^arn:aws:elasticloadbalancing:us-east-1:222222222222:listener\/app\/payments-alb\//,
      ),
      PayloadFormatVersion: '1.0',
      TlsConfig: { ServerNameToVerify: 'events.payments.internal.example.com' },
    });
    const { Items: routes } = await payments.send(
      new GetRoutesCommand({ ApiId: DEMO.paymentsEventsHttp }),
    );
    expect(routes!.map(r => r.RouteKey)).toEqual([
      'GET /events',
      'GET /events/{eventId}',
    ]);
    expect(routes![0]).toMatchObject({
      AuthorizationType: 'JWT',
      AuthorizerId: authorizers![0].AuthorizerId,
      AuthorizationScopes: ['payments/events.read'],
      Target: `integrations/${integrations![0].IntegrationId}`,
    });
  });

  it('lists a Lambda REQUEST authorizer on an HTTP API', async () => {
    const { Items } = await payments.send(
      new GetAuthorizersCommand({ ApiId: DEMO.paymentMethodsHttp }),
    );
    expect(Items![0]).toMatchObject({
      AuthorizerType: 'REQUEST',
      AuthorizerPayloadFormatVersion: '2.0',
      EnableSimpleResponses: true,
      AuthorizerUri: expect.stringContaining(
        'function:customer-session-authorizer/invocations',
      ),
    });
    const { Items: routes } = await payments.send(
      new GetRoutesCommand({ ApiId: DEMO.paymentMethodsHttp }),
    );
    expect(routes!.every(r => r.AuthorizationType === 'CUSTOM')).toBe(true);
  });

  it('lists VPC link V2 integrations to an NLB and to Cloud Map', async () => {
    const nlb = await identity.send(
      new GetIntegrationsCommand({ ApiId: DEMO.identityTokensHttp }),
    );
    expect(nlb.Items![0].IntegrationUri).toMatch(
      /:listener\/net\/tokens-nlb\//,
    );
    const cloudMap = await commerce.send(
      new GetIntegrationsCommand({ ApiId: DEMO.shippingQuotesHttp }),
    );
    expect(cloudMap.Items![0]).toMatchObject({
      ConnectionType: 'VPC_LINK',
      IntegrationUri: expect.stringMatching(
        /^arn:aws:servicediscovery:us-east-1:444444444444:service\/srv-[0-9a-f]{16}$/,
      ),
    });
  });

  it('authorizes only $connect of a WebSocket API with a Lambda REQUEST authorizer', async () => {
    const { Items: routes } = await identity.send(
      new GetRoutesCommand({ ApiId: DEMO.identityNotificationsWs }),
    );
    expect(routes!.map(r => [r.RouteKey, r.AuthorizationType])).toEqual([
      ['$connect', 'CUSTOM'],
      ['$disconnect', 'NONE'],
      ['$default', 'NONE'],
      ['subscribe', 'NONE'],
    ]);
    const { Items: authorizers } = await identity.send(
      new GetAuthorizersCommand({ ApiId: DEMO.identityNotificationsWs }),
    );
    expect(authorizers![0]).toMatchObject({
      AuthorizerType: 'REQUEST',
      IdentitySource: ['route.request.querystring.token'],
    });
    const { Items: integrations } = await identity.send(
      new GetIntegrationsCommand({ ApiId: DEMO.identityNotificationsWs }),
    );
    expect(integrations![0].IntegrationUri).toMatch(
      /^arn:aws:apigateway:us-east-1:lambda:path\/2015-03-31\/functions\//,
    );
  });

  it('lists stages with auto-deploy', async () => {
    const { Items } = await commerce.send(
      new GetStagesCommand({ ApiId: '1h9sy9nack' }),
    );
    expect(Items).toEqual([
      expect.objectContaining({
        StageName: '$default',
        AutoDeploy: true,
        DeploymentId: expect.stringMatching(/^[a-z0-9]{6}$/),
      }),
    ]);
    expect(Items![0].LastUpdatedDate).toBeInstanceOf(Date);
  });

  it('lists V2 VPC links', async () => {
    const { Items } = await payments.send(new GetVpcLinksCommand({}));
    expect(Items).toEqual([
      expect.objectContaining({
        VpcLinkId: 'v2pay1',
        Name: 'payments-events-link',
        VpcLinkStatus: 'AVAILABLE',
        VpcLinkVersion: 'V2',
        SubnetIds: [
          expect.stringMatching(/^subnet-[0-9a-f]{17}$/),
          expect.stringMatching(/^subnet-[0-9a-f]{17}$/),
        ],
        SecurityGroupIds: [expect.stringMatching(/^sg-[0-9a-f]{17}$/)],
      }),
    ]);
  });

  it('exports an HTTP API as OAS 3 JSON or YAML, and refuses WebSocket APIs', async () => {
    const json = await payments.send(
      new ExportApiCommand({
        ApiId: DEMO.paymentsEventsHttp,
        Specification: 'OAS30',
        OutputType: 'JSON',
      }),
    );
    const document = JSON.parse(Buffer.from(json.body!).toString('utf8'));
    expect(document.openapi).toBe('3.0.1');
    expect(
      document.paths['/events/{eventId}'].get['x-amazon-apigateway-integration']
        .connectionType,
    ).toBe('VPC_LINK');
    expect(
      document.components.securitySchemes['partners-jwt'][
        'x-amazon-apigateway-authorizer'
      ].type,
    ).toBe('jwt');

    const yaml = await payments.send(
      new ExportApiCommand({
        ApiId: DEMO.paymentsEventsHttp,
        Specification: 'OAS30',
        OutputType: 'YAML',
        IncludeExtensions: false,
      }),
    );
    const fromYaml = parse(Buffer.from(yaml.body!).toString('utf8'));
    expect(
      fromYaml.paths['/events'].get['x-amazon-apigateway-integration'],
    ).toBeUndefined();

    const ws = await errorOf(
      identity.send(
        new ExportApiCommand({
          ApiId: DEMO.identityNotificationsWs,
          Specification: 'OAS30',
          OutputType: 'JSON',
        }),
      ),
    );
    expect(ws.name).toBe('BadRequestException');
  });

  it('lists public domain names and their API mappings, REST and HTTP alike', async () => {
    const { Items } = await commerce.send(new GetDomainNamesCommand({}));
    expect(Items).toEqual([
      expect.objectContaining({
        DomainName: 'api.shop.example.com',
        DomainNameConfigurations: [
          expect.objectContaining({
            EndpointType: 'REGIONAL',
            DomainNameStatus: 'AVAILABLE',
            ApiGatewayDomainName: expect.stringMatching(/^d-/),
          }),
        ],
      }),
    ]);
    const { Items: mappings } = await commerce.send(
      new GetApiMappingsCommand({ DomainName: 'api.shop.example.com' }),
    );
    expect(mappings!.map(m => [m.ApiMappingKey, m.ApiId, m.Stage])).toEqual([
      ['catalog', DEMO.catalogApi, 'prod'],
      ['cart', '1h9sy9nack', '$default'],
    ]);
    // Private custom domain names exist in v1 only.
    const privateOnes = await payments.send(new GetDomainNamesCommand({}));
    expect(privateOnes.Items!.map(d => d.DomainName)).toEqual([
      'hooks.payments.example.com',
    ]);
  });

  it('answers NotFoundException with the resource type for an unknown API', async () => {
    const error = await errorOf(
      payments.send(new GetRoutesCommand({ ApiId: 'zzzzzzzzzz' })),
    );
    expect(error.name).toBe('NotFoundException');
    expect(error.ResourceType).toBe('Api');
    expect(error.$metadata.httpStatusCode).toBe(404);
  });
});
