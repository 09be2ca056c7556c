import {
  APIGatewayClient,
  GetAuthorizersCommand,
  GetBasePathMappingsCommand,
  GetDeploymentsCommand,
  GetDomainNameAccessAssociationsCommand,
  GetDomainNamesCommand,
  GetExportCommand,
  GetIntegrationCommand,
  GetResourcesCommand,
  GetRestApiCommand,
  GetRestApisCommand,
  GetStagesCommand,
  GetVpcLinksCommand,
  paginateGetRestApis,
} from '@aws-sdk/client-api-gateway';
import { parse } from 'yaml';
import type { Simulator } from '../../index';
import {
  assumeDemoRole,
  clientConfig,
  DEMO,
  errorOf,
  startSimulator,
} from '../../__testUtils__';

/** API Gateway v1 reads against the demo estate, through the real SDK client. */
describe('API Gateway v1', () => {
  let simulator: Simulator;
  let payments: APIGatewayClient;
  let platform: APIGatewayClient;

  beforeAll(async () => {
    simulator = await startSimulator();
    platform = new APIGatewayClient(clientConfig(simulator));
    payments = new APIGatewayClient(
      clientConfig(simulator, await assumeDemoRole(simulator, DEMO.payments)),
    );
  });
  afterAll(() => simulator.stop());

  const unescape = (policy: string) =>
    policy.replace(/\\"/g, '"').replace(/\\\//g, '/');

  it('pages GetRestApis with limit and position until every API is seen', async () => {
    const first = await payments.send(new GetRestApisCommand({ limit: 2 }));
    expect(first.items).toHaveLength(2);
    expect(first.position).toEqual(expect.any(String));

    const ids: string[] = [];
    for await (const page of paginateGetRestApis(
      { client: payments, pageSize: 3 },
      {},
    )) {
      expect(page.items!.length).toBeLessThanOrEqual(3);
      ids.push(...page.items!.map(api => api.id!));
    }
    expect(ids).toHaveLength(7);
    expect(new Set(ids).size).toBe(7);
    expect(ids).toContain(DEMO.paymentsApi);
  });

  it('returns the REST API shape discovery reads, with the policy escaped once more as AWS does', async () => {
    const api = await payments.send(
      new GetRestApiCommand({ restApiId: DEMO.paymentsApi }),
    );
    expect(api).toMatchObject({
      id: DEMO.paymentsApi,
      name: 'payments-api',
      apiKeySource: 'HEADER',
      disableExecuteApiEndpoint: false,
      rootResourceId: expect.stringMatching(/^[a-z0-9]{10}$/),
      endpointConfiguration: {
        types: ['PRIVATE'],
        ipAddressType: 'ipv4',
        vpcEndpointIds: [DEMO.platformSharedVpce],
      },
      tags: {
        owner: 'team-payments',
        system: 'payments',
        lifecycle: 'production',
      },
    });
    expect(api.createdDate).toEqual(new Date('2020-09-01T00:00:00Z'));
    // After the SDK parsed the JSON the string still has \" and \/ (AWS-FACTS §1).
    expect(api.policy).toContain('{\\"Version\\":\\"2012-10-17\\"');
    expect(api.policy).toContain(
      `arn:aws:execute-api:us-east-1:${DEMO.payments}:${DEMO.paymentsApi}\\/*`,
    );
    const policy = JSON.parse(unescape(api.policy!));
    expect(
      policy.Statement[1].Condition.StringNotEquals['aws:SourceVpce'],
    ).toEqual([DEMO.paymentsVpce, DEMO.platformSharedVpce]);
  });

  it('has no policy on the private API that has none', async () => {
    const api = await payments.send(
      new GetRestApiCommand({ restApiId: DEMO.refundsApi }),
    );
    expect(api.endpointConfiguration?.types).toEqual(['PRIVATE']);
    expect(api.policy).toBeUndefined();
  });

  it('answers NotFoundException for an API of another account or Region', async () => {
    const error = await errorOf(
      platform.send(new GetRestApiCommand({ restApiId: DEMO.paymentsApi })),
    );
    expect(error.name).toBe('NotFoundException');
    expect(error.$metadata.httpStatusCode).toBe(404);
    expect(error.message).toBe(
      `Invalid API identifier specified ${DEMO.platform}:${DEMO.paymentsApi}`,
    );
  });

  it('rejects a limit over 500 and a made-up position with BadRequestException', async () => {
    const tooMany = await errorOf(
      payments.send(new GetRestApisCommand({ limit: 501 })),
    );
    expect(tooMany.name).toBe('BadRequestException');
    expect(tooMany.message).toMatch(/limit/);
    const badPosition = await errorOf(
      payments.send(new GetRestApisCommand({ position: 'not-a-token' })),
    );
    expect(badPosition.name).toBe('BadRequestException');
  });

  it('lists stages with cache settings and deployment ids', async () => {
    const { item } = await payments.send(
      new GetStagesCommand({ restApiId: DEMO.paymentsApi }),
    );
    expect(item!.map(stage => stage.stageName)).toEqual(['prod', 'staging']);
    expect(item![0]).toMatchObject({
      cacheClusterEnabled: true,
      cacheClusterSize: '0.5',
      cacheClusterStatus: 'AVAILABLE',
      tracingEnabled: true,
      deploymentId: expect.stringMatching(/^[a-z0-9]{6}$/),
      methodSettings: {
        '*/*': expect.objectContaining({ cachingEnabled: true }),
      },
    });
    expect(item![0].lastUpdatedDate).toEqual(new Date('2024-09-12T10:15:00Z'));
    expect(item![1]).toMatchObject({
      cacheClusterEnabled: false,
      cacheClusterStatus: 'NOT_AVAILABLE',
    });

    const byDeployment = await payments.send(
      new GetStagesCommand({
        restApiId: DEMO.paymentsApi,
        deploymentId: item![1].deploymentId,
      }),
    );
    expect(byDeployment.item!.map(stage => stage.stageName)).toEqual([
      'staging',
    ]);
  });

  it('embeds methods with their integration in GetResources, and only lists them without embed', async () => {
    const embedded = await payments.send(
      new GetResourcesCommand({
        restApiId: DEMO.paymentsApi,
        embed: ['methods'],
      }),
    );
    const byPath = Object.fromEntries(embedded.items!.map(r => [r.path, r]));
    expect(Object.keys(byPath).sort()).toEqual(
      [
        '/',
        '/health',
        '/payments',
        '/payments/{paymentId}',
        '/payments/{paymentId}/capture',
      ].sort(),
    );
    expect(byPath['/payments/{paymentId}']).toMatchObject({
      pathPart: '{paymentId}',
      parentId: byPath['/payments'].id,
    });
    expect(byPath['/payments'].resourceMethods!.POST).toMatchObject({
      httpMethod: 'POST',
      authorizationType: 'AWS_IAM',
      apiKeyRequired: false,
      methodIntegration: {
        type: 'AWS_PROXY',
        httpMethod: 'POST',
        connectionType: 'INTERNET',
        uri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:${DEMO.payments}:function:payments-handler/invocations`,
      },
    });
    expect(byPath['/health'].resourceMethods!.GET).toMatchObject({
      authorizationType: 'NONE',
      methodIntegration: { type: 'MOCK' },
    });

    const plain = await payments.send(
      new GetResourcesCommand({ restApiId: DEMO.paymentsApi }),
    );
    const payments_ = plain.items!.find(r => r.path === '/payments')!;
    expect(payments_.resourceMethods).toEqual({ GET: {}, POST: {} });
  });

  it('pages GetResources', async () => {
    const first = await payments.send(
      new GetResourcesCommand({ restApiId: DEMO.paymentsApi, limit: 2 }),
    );
    const second = await payments.send(
      new GetResourcesCommand({
        restApiId: DEMO.paymentsApi,
        limit: 2,
        position: first.position,
      }),
    );
    expect(first.items).toHaveLength(2);
    expect(second.items).toHaveLength(2);
    expect(second.items![0].id).not.toBe(first.items![0].id);
  });

  it('rejects an embed value other than methods', async () => {
    const error = await errorOf(
      payments.send(
        new GetResourcesCommand({
          restApiId: DEMO.paymentsApi,
          embed: ['models'],
        }),
      ),
    );
    expect(error.name).toBe('BadRequestException');
    expect(error.message).toContain("'models'");
  });

  it('returns a VPC link V1 integration pointing at the NLB', async () => {
    const { items } = await payments.send(
      new GetResourcesCommand({
        restApiId: DEMO.ledgerApi,
        embed: ['methods'],
      }),
    );
    const resource = items!.find(r => r.path === '/reconciliations')!;
    const integration = await payments.send(
      new GetIntegrationCommand({
        restApiId: DEMO.ledgerApi,
        resourceId: resource.id,
        httpMethod: 'POST',
      }),
    );
    expect(integration).toMatchObject({
      type: 'HTTP_PROXY',
      connectionType: 'VPC_LINK',
      connectionId: 'lk7n2q',
      uri: expect.stringMatching(
        /^https:\/\/ledger-nlb-[0-9a-f]{16}\.elb\.us-east-1\.amazonaws\.com:443\/reconcile$/,
      ),
    });
    const { items: links } = await payments.send(new GetVpcLinksCommand({}));
    expect(links).toEqual([
      expect.objectContaining({
        id: 'lk7n2q',
        name: 'ledger-link',
        status: 'AVAILABLE',
        targetArns: [
          expect.stringMatching(
            /^arn:aws:elasticloadbalancing:us-east-1:222222222222:loadbalancer\/net\/ledger-nlb\//,
          ),
        ],
      }),
    ]);
    const missing = await errorOf(
      payments.send(
        new GetIntegrationCommand({
          restApiId: DEMO.ledgerApi,
          resourceId: resource.id,
          httpMethod: 'PUT',
        }),
      ),
    );
    expect(missing.name).toBe('NotFoundException');
  });

  it('lists Lambda TOKEN and REQUEST authorizers', async () => {
    const token = await payments.send(
      new GetAuthorizersCommand({ restApiId: DEMO.fraudScoringApi }),
    );
    expect(token.items).toEqual([
      expect.objectContaining({
        name: 'fraud-token-authorizer',
        type: 'TOKEN',
        identitySource: 'method.request.header.Authorization',
        identityValidationExpression: '^Bearer [-0-9a-zA-Z._]*$',
        authorizerUri: expect.stringContaining(
          `function:fraud-token-authorizer/invocations`,
        ),
        authorizerResultTtlInSeconds: 300,
      }),
    ]);
    const request = await payments.send(
      new GetAuthorizersCommand({ restApiId: DEMO.cardTokenizationApi }),
    );
    expect(request.items![0]).toMatchObject({
      type: 'REQUEST',
      authorizerResultTtlInSeconds: 0,
    });
  });

  it('lists Cognito authorizers with provider ARNs', async () => {
    const identity = new APIGatewayClient(
      clientConfig(simulator, await assumeDemoRole(simulator, DEMO.identity)),
    );
    const { items } = await identity.send(
      new GetAuthorizersCommand({ restApiId: DEMO.identityApi }),
    );
    expect(items![0]).toMatchObject({
      type: 'COGNITO_USER_POOLS',
      providerARNs: [
        `arn:aws:cognito-idp:us-east-1:${DEMO.identity}:userpool/us-east-1_Id3ntXy9Z`,
      ],
    });
    expect(items![0].authorizerUri).toBeUndefined();
  });

  it('lists deployments', async () => {
    const { items } = await payments.send(
      new GetDeploymentsCommand({ restApiId: DEMO.paymentsApi }),
    );
    const { item: stages } = await payments.send(
      new GetStagesCommand({ restApiId: DEMO.paymentsApi }),
    );
    expect(items!.map(d => d.id).sort()).toEqual(
      stages!.map(s => s.deploymentId).sort(),
    );
    expect(items![0].createdDate).toBeInstanceOf(Date);
  });

  it('lists own domain names, and private ones shared with the account as OTHER_ACCOUNTS', async () => {
    const own = await payments.send(new GetDomainNamesCommand({}));
    const names = own.items!.map(d => d.domainName);
    expect(names).toEqual([
      'payments.internal.example.com',
      'hooks.payments.example.com',
    ]);
    const privateDomain = own.items![0];
    expect(privateDomain).toMatchObject({
      domainNameId: 'a1b2c3d4e5',
      domainNameArn: `arn:aws:apigateway:us-east-1:${DEMO.payments}:/domainnames/payments.internal.example.com+a1b2c3d4e5`,
      endpointConfiguration: { types: ['PRIVATE'] },
    });
    expect(privateDomain.policy).toContain('\\"aws:SourceVpce\\"');
    expect(own.items![1]).toMatchObject({
      endpointConfiguration: { types: ['REGIONAL'] },
      regionalDomainName: expect.stringMatching(
        /^d-[a-z0-9]{10}\.execute-api\.us-east-1\.amazonaws\.com$/,
      ),
    });

    const shared = await platform.send(
      new GetDomainNamesCommand({ resourceOwner: 'OTHER_ACCOUNTS' }),
    );
    expect(shared.items!.map(d => d.domainNameArn)).toEqual([
      privateDomain.domainNameArn,
    ]);
    const ownOfPlatform = await platform.send(
      new GetDomainNamesCommand({ resourceOwner: 'SELF' }),
    );
    expect(ownOfPlatform.items).toEqual([]);
  });

  it('lists access associations by who made them', async () => {
    const mine = await platform.send(
      new GetDomainNameAccessAssociationsCommand({}),
    );
    expect(mine.items).toEqual([
      {
        domainNameAccessAssociationArn: `arn:aws:apigateway:us-east-1:${DEMO.platform}:/domainnameaccessassociations/domainname/payments.internal.example.com+a1b2c3d4e5/vpcesource/${DEMO.platformSharedVpce}`,
        domainNameArn: `arn:aws:apigateway:us-east-1:${DEMO.payments}:/domainnames/payments.internal.example.com+a1b2c3d4e5`,
        accessAssociationSourceType: 'VPCE',
        accessAssociationSource: DEMO.platformSharedVpce,
        tags: {},
      },
    ]);
    const onMyDomains = await payments.send(
      new GetDomainNameAccessAssociationsCommand({
        resourceOwner: 'OTHER_ACCOUNTS',
      }),
    );
    expect(onMyDomains.items!.map(a => a.accessAssociationSource)).toEqual([
      DEMO.platformSharedVpce,
    ]);
    const paymentsOwn = await payments.send(
      new GetDomainNameAccessAssociationsCommand({ resourceOwner: 'SELF' }),
    );
    expect(paymentsOwn.items!.map(a => a.accessAssociationSource)).toEqual([
      DEMO.paymentsVpce,
    ]);
    const bad = await errorOf(
      payments.send(
        new GetDomainNameAccessAssociationsCommand({
          resourceOwner: 'ME' as never,
        }),
      ),
    );
    expect(bad.name).toBe('BadRequestException');
  });

  it('lists base path mappings of a private domain by its id, and of a public one by name', async () => {
    const privateMappings = await payments.send(
      new GetBasePathMappingsCommand({
        domainName: 'payments.internal.example.com',
        domainNameId: 'a1b2c3d4e5',
      }),
    );
    expect(privateMappings.items).toEqual([
      { basePath: 'payments', restApiId: DEMO.paymentsApi, stage: 'prod' },
      { basePath: 'payouts', restApiId: DEMO.payoutsApi, stage: 'prod' },
    ]);
    const publicMappings = await payments.send(
      new GetBasePathMappingsCommand({
        domainName: 'hooks.payments.example.com',
      }),
    );
    expect(publicMappings.items).toEqual([
      { basePath: '(none)', restApiId: '9o9c1ck71a', stage: 'prod' },
    ]);
    // A private domain is not found by name alone.
    const error = await errorOf(
      payments.send(
        new GetBasePathMappingsCommand({
          domainName: 'payments.internal.example.com',
        }),
      ),
    );
    expect(error.name).toBe('NotFoundException');
  });

  it('exports OpenAPI 3 as JSON and YAML, with integrations when asked', async () => {
    const json = await payments.send(
      new GetExportCommand({
        restApiId: DEMO.paymentsApi,
        stageName: 'prod',
        exportType: 'oas30',
        parameters: { extensions: 'integrations' },
      }),
    );
    expect(json.contentType).toBe('application/json');
    expect(json.contentDisposition).toContain('attachment');
    const document = JSON.parse(Buffer.from(json.body!).toString('utf8'));
    expect(document.openapi).toBe('3.0.1');
    expect(document.info.title).toBe('payments-api');
    expect(document.servers[0].variables.basePath.default).toBe('prod');
    expect(Object.keys(document.paths)).toContain('/payments/{paymentId}');
    expect(
      document.paths['/payments'].post['x-amazon-apigateway-integration'].type,
    ).toBe('aws_proxy');
    expect(document.paths['/payments'].post.security).toEqual([{ sigv4: [] }]);

    const yaml = await payments.send(
      new GetExportCommand({
        restApiId: DEMO.paymentsApi,
        stageName: 'prod',
        exportType: 'oas30',
        accepts: 'application/yaml',
      }),
    );
    expect(yaml.contentType).toBe('application/yaml');
    const fromYaml = parse(Buffer.from(yaml.body!).toString('utf8'));
    expect(
      fromYaml.paths['/payments'].post['x-amazon-apigateway-integration'],
    ).toBeUndefined();

    const swagger = await payments.send(
      new GetExportCommand({
        restApiId: DEMO.paymentsApi,
        stageName: 'prod',
        exportType: 'swagger',
      }),
    );
    expect(
      JSON.parse(Buffer.from(swagger.body!).toString('utf8')),
    ).toMatchObject({ swagger: '2.0', basePath: '/prod' });
  });

  it('returns a hand-written OpenAPI document as written', async () => {
    const analytics = new APIGatewayClient(
      clientConfig(simulator, await assumeDemoRole(simulator, DEMO.analytics)),
    );
    const result = await analytics.send(
      new GetExportCommand({
        restApiId: DEMO.reportsExportApi,
        stageName: 'prod',
        exportType: 'oas30',
      }),
    );
    const document = JSON.parse(Buffer.from(result.body!).toString('utf8'));
    expect(document.info).toEqual({
      title: 'reports-export-api',
      version: '2.3.0',
      description:
        'Create and download scheduled report exports (CSV or Parquet).',
    });
  });

  it('rejects an export of a missing stage or an unknown type', async () => {
    const stage = await errorOf(
      payments.send(
        new GetExportCommand({
          restApiId: DEMO.paymentsApi,
          stageName: 'nope',
          exportType: 'oas30',
        }),
      ),
    );
    expect(stage.name).toBe('NotFoundException');
    const type = await errorOf(
      payments.send(
        new GetExportCommand({
          restApiId: DEMO.paymentsApi,
          stageName: 'prod',
          exportType: 'postman',
        }),
      ),
    );
    expect(type.name).toBe('BadRequestException');
  });
});
