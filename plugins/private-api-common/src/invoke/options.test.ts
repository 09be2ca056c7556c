import { assumptionCaveat, VERIFY_ASSUMPTIONS } from '../assumptions';
import { endpoint, privateApi, route } from '../__testUtils__/estate';
import { API_ARN } from '../__testUtils__/policies';
import { ApiRecord } from '../inventory/types';
import {
  InvokeOption,
  InvokeOptionKind,
  invokeCommand,
  invokeOptions,
} from './options';

const inVpc = (overrides = {}) => ({
  location: 'vpc' as const,
  vpcEndpoint: endpoint(overrides),
});

function byKind(options: InvokeOption[], kind: InvokeOptionKind): InvokeOption {
  const found = options.find(o => o.kind === kind);
  if (!found) throw new Error(`no ${kind} option`);
  return found;
}

const availability = (options: InvokeOption[]) =>
  Object.fromEntries(options.map(o => [o.kind, o.availability]));

describe('invokeOptions for a private REST API', () => {
  it('offers all four execute-api ways from a VPC whose endpoint is allowed, associated and has private DNS', () => {
    const options = invokeOptions(privateApi(), inVpc());
    expect(availability(options)).toEqual({
      'private-dns': 'available',
      'route53-alias': 'available',
      'vpce-dns-host-header': 'available',
      'vpce-dns-api-id-header': 'available',
    });
    const privateDns = byKind(options, 'private-dns');
    expect(privateDns.urls).toEqual([
      {
        stage: 'prod',
        url: 'https://abc123.execute-api.us-east-1.amazonaws.com/prod',
      },
      {
        stage: 'test',
        url: 'https://abc123.execute-api.us-east-1.amazonaws.com/test',
      },
    ]);
    expect(privateDns.route).toBe('GET /me');
    expect(privateDns.reasons).toEqual([
      'The resource policy lets unsigned calls through vpce-0aaa1111 (vpc-0aaa1111) in. Allowed by Statement[0] (Allow).',
      "vpce-0aaa1111 has private DNS enabled: the API's own name resolves to it in vpc-0aaa1111.",
    ]);
    expect(byKind(options, 'route53-alias').urls[0]).toEqual({
      stage: 'prod',
      url: 'https://abc123-vpce-0aaa1111.execute-api.us-east-1.amazonaws.com/prod',
      vpcEndpointId: 'vpce-0aaa1111',
    });
    expect(byKind(options, 'vpce-dns-host-header')).toMatchObject({
      headers: { Host: 'abc123.execute-api.us-east-1.amazonaws.com' },
      urls: [
        {
          stage: 'prod',
          url: 'https://vpce-0aaa1111-abcd1234.execute-api.us-east-1.vpce.amazonaws.com/prod',
        },
        expect.anything(),
      ],
    });
    expect(byKind(options, 'vpce-dns-api-id-header').headers).toEqual({
      'x-apigw-api-id': 'abc123',
    });
  });

  it('writes the ready command with the way of calling and the route’s credentials', () => {
    const options = invokeOptions(privateApi(), inVpc());
    expect(byKind(options, 'vpce-dns-api-id-header').command).toBe(
      [
        "curl 'https://vpce-0aaa1111-abcd1234.execute-api.us-east-1.vpce.amazonaws.com/prod/me'",
        "  -H 'x-apigw-api-id: abc123'",
        "  -H 'Authorization: <Cognito ID or access token>'",
      ].join(' \\\n'),
    );
  });

  it('puts the caveats next to each option', () => {
    const options = invokeOptions(privateApi(), inVpc());
    const texts = (kind: InvokeOptionKind) =>
      byKind(options, kind).caveats.map(c => c.text);
    expect(texts('private-dns')).toEqual(
      expect.arrayContaining([
        expect.stringContaining(
          'With private DNS on, the VPC reaches public APIs by their execute-api names through the endpoint',
        ),
        "The endpoint's security group must allow TCP 443 from the caller.",
        'From a browser, the Authorization header makes the request non-simple: the API must answer the CORS preflight (OPTIONS) and allow it.',
        'IAM routes: a caller from another account also needs its own IAM policy to allow execute-api:Invoke.',
        'Sign in to the user pool first and send the ID or access token in the Authorization header.',
      ]),
    );
    expect(texts('vpce-dns-api-id-header')).toContain(
      'Browsers send a CORS preflight for the x-apigw-api-id header, which breaks it: not for web apps.',
    );
    expect(texts('vpce-dns-host-header')).toContain(
      'Browsers cannot set the Host header: not for web apps.',
    );
    expect(byKind(options, 'route53-alias').caveats[0].text).toMatch(
      /takes minutes to resolve \(DNS propagation\)/,
    );
  });

  it('rules out private DNS when the endpoint has it disabled, and says how to fix it', () => {
    const options = invokeOptions(
      privateApi(),
      inVpc({ privateDnsEnabled: false }),
    );
    const privateDns = byKind(options, 'private-dns');
    expect(privateDns.availability).toBe('unavailable');
    expect(privateDns.reasons).toContain(
      'vpce-0aaa1111 has private DNS disabled, so abc123.execute-api.us-east-1.amazonaws.com does not resolve to it.',
    );
    expect(privateDns.fixes[0]).toMatch(/^Enable private DNS on vpce-0aaa1111/);
    expect(options[options.length - 1].kind).toBe('private-dns');
    expect(byKind(options, 'vpce-dns-host-header').availability).toBe(
      'available',
    );
  });

  it('rules out the alias of an endpoint that is not associated', () => {
    const alias = byKind(
      invokeOptions(privateApi({ vpcEndpointIds: [] }), inVpc()),
      'route53-alias',
    );
    expect(alias).toMatchObject({
      availability: 'unavailable',
      fixes: [
        'Associate vpce-0aaa1111 with the API (UpdateRestApi: add /endpointConfiguration/vpcEndpointIds); DNS then takes minutes to propagate.',
      ],
    });
  });

  it('rules out everything through an endpoint of another Region', () => {
    const options = invokeOptions(
      privateApi(),
      inVpc({ region: 'eu-west-1', vpcId: 'vpc-0ccc3333' }),
    );
    for (const o of options) {
      expect(o.availability).toBe('unavailable');
      expect(o.reasons).toContain(
        'vpce-0aaa1111 is in eu-west-1 and the API in us-east-1: an endpoint reaches private APIs of its own Region only.',
      );
    }
  });

  it('rules out everything when the resource policy denies the endpoint, and proposes the grant', () => {
    const options = invokeOptions(
      privateApi(),
      inVpc({ vpcEndpointId: 'vpce-0bbb2222', vpcId: 'vpc-0bbb2222' }),
    );
    expect(new Set(options.map(o => o.availability))).toEqual(
      new Set(['unavailable']),
    );
    expect(options[0].reasons[0]).toBe(
      'The resource policy denies calls through vpce-0bbb2222 (vpc-0bbb2222). Denied: Statement[1] (Deny) explicitly denies this request, and an explicit Deny overrides every Allow.',
    );
    expect(options[0].fixes).toContain(
      "Request access for vpce-0bbb2222: the owner's policy change lets calls from it in. Added vpce-0bbb2222 to the aws:SourceVpce values that Statement[1] (Deny) exempts (it denies every other caller), which lets vpce-0bbb2222 in.",
    );
  });

  it('rules out a private API without a policy, for a chosen caller and when none is chosen', () => {
    const [first] = invokeOptions(privateApi({ policy: undefined }), inVpc());
    expect(first.availability).toBe('unavailable');
    expect(first.reasons[0]).toMatch(
      /has no resource policy, and a private API without one rejects every call/,
    );
    const unchosen = invokeOptions(privateApi({ policy: undefined }));
    expect(unchosen.map(o => o.availability)).toEqual(
      unchosen.map(() => 'unavailable'),
    );
  });

  it('makes the option conditional when only signed callers may come in', () => {
    const policy = JSON.stringify({
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::111122223333:role/app' },
          Action: 'execute-api:Invoke',
          Resource: `${API_ARN}/*`,
        },
      ],
    });
    const privateDns = byKind(
      invokeOptions(privateApi({ policy }), inVpc()),
      'private-dns',
    );
    expect(privateDns.availability).toBe('conditional');
    expect(privateDns.reasons[0]).toBe(
      'The resource policy lets only signed callers it names in through vpce-0aaa1111 (vpc-0aaa1111), such as arn:aws:iam::111122223333:role/app: sign the request with SigV4 as one of them.',
    );
  });

  it('rules out the internet and a VPC without an endpoint', () => {
    const internet = invokeOptions(privateApi(), { location: 'internet' });
    expect(internet.every(o => o.availability === 'unavailable')).toBe(true);
    expect(internet[0].reasons[0]).toMatch(
      /only through an interface VPC endpoint/,
    );
    const bare = invokeOptions(privateApi(), { location: 'vpc' });
    expect(bare[0].fixes).toEqual([
      "Create an interface VPC endpoint for com.amazonaws.us-east-1.execute-api in the caller's VPC (with private DNS enabled for the simplest URL).",
    ]);
  });

  it('without a caller, says what each option needs and lists the associated endpoints’ aliases', () => {
    const options = invokeOptions(
      privateApi({ vpcEndpointIds: ['vpce-0aaa1111', 'vpce-0ddd4444'] }),
    );
    expect(new Set(options.map(o => o.availability))).toEqual(
      new Set(['conditional']),
    );
    expect(byKind(options, 'route53-alias').urls.map(u => u.url)).toEqual([
      'https://abc123-vpce-0aaa1111.execute-api.us-east-1.amazonaws.com/prod',
      'https://abc123-vpce-0aaa1111.execute-api.us-east-1.amazonaws.com/test',
      'https://abc123-vpce-0ddd4444.execute-api.us-east-1.amazonaws.com/prod',
      'https://abc123-vpce-0ddd4444.execute-api.us-east-1.amazonaws.com/test',
    ]);
    expect(byKind(options, 'vpce-dns-host-header').urls[0].url).toBe(
      'https://<vpce-id>-<suffix>.execute-api.us-east-1.vpce.amazonaws.com/prod',
    );
  });

  it('from on premises, needs Direct Connect or VPN, and DNS forwarding for the private name', () => {
    const caller = {
      location: 'on-premises' as const,
      vpcEndpoint: endpoint(),
    };
    const privateDns = byKind(
      invokeOptions(privateApi(), caller),
      'private-dns',
    );
    expect(privateDns.availability).toBe('conditional');
    expect(privateDns.fixes).toEqual([
      'Forward execute-api.us-east-1.amazonaws.com from your DNS servers to a Route 53 Resolver inbound endpoint in vpc-0aaa1111, or use the Route 53 alias.',
    ]);
    const forwarded = byKind(
      invokeOptions(privateApi(), { ...caller, resolvesPrivateDns: true }),
      'private-dns',
    );
    expect(forwarded.fixes).toEqual([]);
    expect(forwarded.reasons).toContain(
      "From on premises, the endpoint's private addresses are reachable only over Direct Connect or VPN to vpc-0aaa1111 (not checked).",
    );
  });

  describe('private custom domains', () => {
    const DOMAIN_INVOKE_ARN =
      'arn:aws:execute-api:us-east-1:123456789012:/domainnames/orders.internal.example.com+d1';
    const domainApi = (extra: Partial<ApiRecord['domains'][number]> = {}) =>
      privateApi({
        disableExecuteApiEndpoint: true,
        domains: [
          {
            domainName: 'orders.internal.example.com',
            // As AWS returns it: the apigateway ARN (what the management policy names).
            domainNameArn:
              'arn:aws:apigateway:us-east-1:123456789012:/domainnames/orders.internal.example.com+d1',
            domainNameId: 'd1',
            endpointType: 'PRIVATE',
            accountId: '123456789012',
            region: 'us-east-1',
            policy: JSON.stringify({
              Statement: [
                {
                  Effect: 'Allow',
                  Principal: '*',
                  Action: 'execute-api:Invoke',
                  Resource: DOMAIN_INVOKE_ARN,
                },
                {
                  Effect: 'Deny',
                  Principal: '*',
                  Action: 'execute-api:Invoke',
                  Resource: DOMAIN_INVOKE_ARN,
                  Condition: {
                    StringNotEquals: { 'aws:SourceVpce': 'vpce-0aaa1111' },
                  },
                },
              ],
            }),
            accessAssociations: [{ vpcEndpointId: 'vpce-0aaa1111' }],
            mappings: [
              { basePath: 'v1', apiId: 'abc123', stage: 'prod' },
              { basePath: 'x', apiId: 'other' },
            ],
            ...extra,
          },
        ],
      });

    it('is the only way left when the default endpoint is disabled', () => {
      const options = invokeOptions(domainApi(), inVpc());
      const domain = byKind(options, 'private-custom-domain');
      expect(domain).toMatchObject({
        availability: 'available',
        title: 'Private custom domain orders.internal.example.com',
        urls: [
          { stage: 'prod', url: 'https://orders.internal.example.com/v1' },
        ],
      });
      expect(domain.command).toBe(
        "curl 'https://orders.internal.example.com/v1/me' \\\n  -H 'Authorization: <Cognito ID or access token>'",
      );
      expect(options[0]).toBe(domain);
      const hostHeader = byKind(options, 'vpce-dns-host-header');
      expect(hostHeader.availability).toBe('unavailable');
      expect(hostHeader.caveats).toContainEqual(
        assumptionCaveat(
          VERIFY_ASSUMPTIONS.disabledDefaultEndpointBlocksEndpointNames,
        ),
      );
    });

    it('needs an access association and an allow in the domain’s policy', () => {
      const noAssociation = byKind(
        invokeOptions(domainApi({ accessAssociations: [] }), inVpc()),
        'private-custom-domain',
      );
      expect(noAssociation.availability).toBe('unavailable');
      expect(noAssociation.reasons).toContain(
        'vpce-0aaa1111 has no domain name access association with orders.internal.example.com.',
      );
      const denied = byKind(
        invokeOptions(
          domainApi({
            accessAssociations: [{ vpcEndpointId: 'vpce-0bbb2222' }],
          }),
          inVpc({ vpcEndpointId: 'vpce-0bbb2222' }),
        ),
        'private-custom-domain',
      );
      expect(denied.reasons).toContain(
        "The domain's policy does not let vpce-0bbb2222 in: Denied by Statement[1] (Deny).",
      );
    });

    it("evaluates the domain's policy against its execute-api ARN, not its apigateway ARN", () => {
      const domain = byKind(
        invokeOptions(domainApi(), inVpc()),
        'private-custom-domain',
      );
      expect(domain.reasons).toContain(
        "The domain's policy lets vpce-0aaa1111 in: Allowed by Statement[0] (Allow).",
      );
      // A policy that names only the apigateway ARN lets no call through the domain.
      const wrongArn = byKind(
        invokeOptions(
          domainApi({
            policy: JSON.stringify({
              Statement: [
                {
                  Effect: 'Allow',
                  Principal: '*',
                  Action: 'execute-api:Invoke',
                  Resource:
                    'arn:aws:apigateway:us-east-1:123456789012:/domainnames/orders.internal.example.com+d1',
                },
              ],
            }),
          }),
          inVpc(),
        ),
        'private-custom-domain',
      );
      expect(wrongArn.availability).toBe('unavailable');
    });

    it("needs the mapped API's policy to let the endpoint in as well", () => {
      const api = domainApi();
      api.policy = JSON.stringify({
        Statement: [
          {
            Effect: 'Allow',
            Principal: '*',
            Action: 'execute-api:Invoke',
            Resource: 'execute-api:/*',
            Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-0ccc3333' } },
          },
        ],
      });
      const domain = byKind(
        invokeOptions(api, inVpc()),
        'private-custom-domain',
      );
      expect(domain.availability).toBe('unavailable');
      expect(domain.reasons[0]).toMatch(
        /^The resource policy denies calls through vpce-0aaa1111/,
      );
    });

    it('offers the domain URL first when it works, even beside working execute-api names', () => {
      const api = domainApi();
      api.disableExecuteApiEndpoint = false;
      const options = invokeOptions(api, inVpc());
      expect(options[0].kind).toBe('private-custom-domain');
      expect(options[1].availability).toBe('available');
    });
  });
});

describe('invokeOptions for public APIs', () => {
  const regional = privateApi({
    endpointType: 'REGIONAL',
    policy: undefined,
    vpcEndpointIds: [],
  });

  it('offers the public endpoint and custom domains from the internet', () => {
    const api = {
      ...regional,
      domains: [
        {
          domainName: 'api.example.com',
          endpointType: 'REGIONAL' as const,
          accountId: '123456789012',
          region: 'us-east-1',
          accessAssociations: [],
          mappings: [{ basePath: '(none)', apiId: 'abc123', stage: 'prod' }],
        },
      ],
    };
    const options = invokeOptions(api, { location: 'internet' });
    expect(options.map(o => [o.kind, o.availability, o.urls[0].url])).toEqual([
      [
        'public-endpoint',
        'available',
        'https://abc123.execute-api.us-east-1.amazonaws.com/prod',
      ],
      ['custom-domain', 'available', 'https://api.example.com'],
    ]);
  });

  it('rules out the public endpoint from a VPC whose execute-api endpoint has private DNS', () => {
    const [endpointOption] = invokeOptions(regional, inVpc());
    expect(endpointOption.availability).toBe('unavailable');
    expect(endpointOption.reasons).toContain(
      'vpce-0aaa1111 in this VPC has private DNS enabled: abc123.execute-api.us-east-1.amazonaws.com resolves to the endpoint, which answers for private APIs only.',
    );
    const privateDns = assumptionCaveat(
      VERIFY_ASSUMPTIONS.privateDnsBlocksAllPublicApis,
    );
    expect(endpointOption.caveats).not.toContainEqual(privateDns);
    const http = invokeOptions({ ...regional, apiType: 'HTTP' }, inVpc());
    expect(http[0].caveats).toContainEqual(privateDns);
    // Without private DNS the VPC only needs a way out to the internet.
    expect(
      invokeOptions(regional, inVpc({ privateDnsEnabled: false }))[0],
    ).toMatchObject({
      availability: 'conditional',
      reasons: [
        'From a VPC, the call needs a route to the internet (NAT gateway or internet gateway): not checked.',
      ],
    });
  });

  it('rules out a disabled default endpoint', () => {
    const [o] = invokeOptions(
      { ...regional, disableExecuteApiEndpoint: true },
      { location: 'internet' },
    );
    expect(o).toMatchObject({
      availability: 'unavailable',
      fixes: ['Call the API through one of its custom domain names.'],
    });
  });

  it('reads the resource policy of a public REST API', () => {
    const policy = JSON.stringify({
      Statement: [
        {
          Effect: 'Allow',
          Principal: '*',
          Action: 'execute-api:Invoke',
          Resource: 'execute-api:/*',
        },
        {
          Effect: 'Deny',
          Principal: '*',
          Action: 'execute-api:Invoke',
          Resource: 'execute-api:/*',
          Condition: { NotIpAddress: { 'aws:SourceIp': '203.0.113.0/24' } },
        },
      ],
    });
    const [o] = invokeOptions(
      { ...regional, policy },
      { location: 'internet' },
    );
    expect(o).toMatchObject({
      availability: 'conditional',
      reasons: [
        'A public API answers on the internet.',
        'The resource policy admits only some callers (source addresses 203.0.113.0/24).',
      ],
    });
  });

  it('serves an HTTP API’s $default stage at the root', () => {
    const http: ApiRecord = {
      ...regional,
      apiType: 'HTTP',
      stages: [{ stageName: '$default' }],
      routes: [route('GET /items/{id}', 'JWT', { authorizerId: 'jwt' })],
      authorizers: [
        {
          id: 'jwt',
          name: 'auth0',
          type: 'JWT',
          identitySource: ['$request.header.Authorization'],
          jwtIssuer: 'https://issuer.example.com/',
          jwtAudience: ['orders'],
        },
      ],
    };
    const [o] = invokeOptions(http, { location: 'internet' });
    expect(o.urls).toEqual([
      {
        stage: '$default',
        url: 'https://abc123.execute-api.us-east-1.amazonaws.com',
      },
    ]);
    expect(o.command).toBe(
      "curl 'https://abc123.execute-api.us-east-1.amazonaws.com/items/<id>' \\\n  -H 'Authorization: Bearer <JWT>'",
    );
  });

  it('connects to a WebSocket API with wscat and the $connect route’s credentials', () => {
    const ws: ApiRecord = {
      ...regional,
      apiType: 'WEBSOCKET',
      apiEndpoint: 'wss://ws1234.execute-api.us-east-1.amazonaws.com',
      stages: [{ stageName: 'live' }],
      routes: [route('sendMessage'), route('$connect', 'AWS_IAM')],
    };
    const [o] = invokeOptions(ws, { location: 'internet' });
    expect(o.urls[0].url).toBe(
      'wss://ws1234.execute-api.us-east-1.amazonaws.com/live',
    );
    expect(o.route).toBe('$connect');
    expect(o.command).toBe(
      "wscat -c 'wss://ws1234.execute-api.us-east-1.amazonaws.com/live'",
    );
    expect(o.caveats.map(c => c.text)).toContain(
      'wscat cannot sign: open the connection with a SigV4-signed request from an AWS SDK.',
    );
  });

  it('sends the message that selects the chosen WebSocket route, and none for $connect and $disconnect', () => {
    const api: ApiRecord = {
      ...privateApi(),
      apiId: 'ws1234',
      apiType: 'WEBSOCKET',
      endpointType: 'REGIONAL',
      apiEndpoint: 'wss://ws1234.execute-api.us-east-1.amazonaws.com',
      routeSelectionExpression: '$request.body.payload.kind',
      policy: undefined,
      stages: [{ stageName: 'live' }],
      routes: [route('$connect'), route('sendMessage'), route('$disconnect')],
      authorizers: [],
    };
    const [o] = invokeOptions(api, { location: 'internet' });
    expect(invokeCommand(api, o, { routeKey: 'sendMessage' })).toBe(
      [
        "wscat -c 'wss://ws1234.execute-api.us-east-1.amazonaws.com/live'",
        `  -x '{"payload":{"kind":"sendMessage"}}'`,
        '  -w 5',
      ].join(' \\\n'),
    );
    for (const routeKey of ['$connect', '$disconnect']) {
      expect(invokeCommand(api, o, { routeKey })).toBe(
        "wscat -c 'wss://ws1234.execute-api.us-east-1.amazonaws.com/live'",
      );
    }
  });
});

describe('invokeCommand', () => {
  const api = privateApi();
  const [privateDns] = invokeOptions(api, inVpc());

  it('signs IAM routes with SigV4 for execute-api in the API’s Region', () => {
    expect(
      invokeCommand(api, privateDns, {
        routeKey: 'GET /pets/{id}',
        stage: 'test',
      }),
    ).toBe(
      [
        "curl 'https://abc123.execute-api.us-east-1.amazonaws.com/test/pets/<id>'",
        '  --aws-sigv4 "aws:amz:us-east-1:execute-api"',
        '  --user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY"',
        '  -H "x-amz-security-token: $AWS_SESSION_TOKEN"',
      ].join(' \\\n'),
    );
  });

  it('sends the Lambda authorizer’s identity-source header and the API key', () => {
    expect(invokeCommand(api, privateDns, { routeKey: 'POST /orders' })).toBe(
      [
        "curl -X POST 'https://abc123.execute-api.us-east-1.amazonaws.com/prod/orders'",
        "  -H 'X-Token: <value for X-Token>'",
        "  -H 'x-api-key: <API key>'",
      ].join(' \\\n'),
    );
  });

  it('sends no header for an open route, and none for an unknown stage', () => {
    expect(invokeCommand(api, privateDns, { routeKey: 'GET /pets' })).toBe(
      "curl 'https://abc123.execute-api.us-east-1.amazonaws.com/prod/pets'",
    );
    expect(invokeCommand(api, privateDns, { stage: 'nope' })).toBeUndefined();
  });
});
