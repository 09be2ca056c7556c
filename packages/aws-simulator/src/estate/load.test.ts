import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_ESTATE_FILE } from '../index';
import { EstateValidationError } from './buildContext';
import { generateEstate, parseGenerateSpec } from './generate';
import { buildEstateFromObject, loadEstateFile, parseEstate } from './load';
import type { Estate } from './model';
import type { EstateInput } from './schema';

function problems(load: () => unknown): string[] {
  try {
    load();
  } catch (error) {
    if (error instanceof EstateValidationError) {
      return error.issues.map(
        issue => `${issue.path.join('/')}: ${issue.message}`,
      );
    }
    throw error;
  }
  throw new Error('expected the estate to be invalid');
}

const accountWith = (id: string, restApis: unknown[] = []) => ({
  id,
  name: `account-${id.slice(0, 2)}`,
  regions: { 'us-east-1': { restApis } },
});

describe('estate validation', () => {
  it('names the file, the path and the problem', () => {
    const dir = mkdtempSync(join(tmpdir(), 'estate-'));
    const file = join(dir, 'broken.yaml');
    writeFileSync(
      file,
      [
        'accounts:',
        '  - { id: "111111111111", name: one }',
        '  - id: "222222222222"',
        '    name: two',
        '    regions:',
        '      us-east-1:',
        '        restApis:',
        '          - { name: a, policy: {} }',
        '          - { name: b, policy: {} }',
        '          - { name: c, policy: {} }',
        '          - name: d',
        '            stages:',
        "              - { name: prod, cacheClusterSize: '0.6' }",
      ].join('\n'),
    );
    expect(() => loadEstateFile(file)).toThrow(EstateValidationError);
    expect(() => loadEstateFile(file)).toThrow(
      new RegExp(
        `^${file.replace(
          /[.*+?^${}()|[\]\\]/g,
          '\\$&',
        )}: invalid estate \\(1 problem\\):\\n  accounts\\[1\\]\\.regions\\.us-east-1\\.restApis\\[3\\]\\.stages\\[0\\]\\.cacheClusterSize: Invalid enum value\\. Expected '0\\.5' \\| '1\\.6'`,
      ),
    );
  });

  it('reports YAML syntax errors with their line, and unreadable files', () => {
    expect(() =>
      parseEstate('accounts:\n  - id: [unclosed\n', 'bad.yaml'),
    ).toThrow(/^bad\.yaml: invalid estate.*\n.*YAML syntax: .*line/);
    expect(() => loadEstateFile('/no/such/estate.yaml')).toThrow(
      /^\/no\/such\/estate\.yaml: [\s\S]*cannot read the file/,
    );
  });

  it('rejects unknown keys, malformed ids and values, and lists every problem', () => {
    const found = problems(() =>
      buildEstateFromObject({
        accounts: [
          {
            id: '1234',
            name: 'x',
            regions: {
              'us-east-1': {
                vpcs: [{ id: 'vpc-123', cidr: '10.0.0.0/16' }],
                vpcEndpoints: [
                  { id: 'vpce-123', vpc: 'vpc-0123456789abcdef0' },
                ],
                restApis: [
                  { name: 'a', endpointTyp: 'PRIVATE', methods: ['FETCH /x'] },
                ],
              },
              moon: {},
            },
          },
        ],
      } as never),
    );
    expect(found).toEqual(
      expect.arrayContaining([
        'accounts/0/id: must be a 12-digit AWS account id',
        "accounts/0/regions/us-east-1/vpcs/0/id: must be 'vpc-' followed by 17 hex digits",
        "accounts/0/regions/us-east-1/vpcEndpoints/0/id: must be 'vpce-' followed by 17 hex digits",
        "accounts/0/regions/us-east-1/restApis/0: Unrecognized key(s) in object: 'endpointTyp'",
        expect.stringMatching(
          /^accounts\/0\/regions\/us-east-1\/restApis\/0\/methods\/0\/route: must be 'METHOD \/path'/,
        ),
        'accounts/0/regions/moon: must be a Region code like us-east-1',
      ]),
    );
  });

  it('explains which fields of an integration conflict', () => {
    const found = problems(() =>
      buildEstateFromObject({
        accounts: [
          accountWith('111111111111', [
            {
              name: 'a',
              methods: [
                { route: 'GET /', integration: { lambda: 'f', mock: true } },
              ],
            },
          ]),
        ],
      } as EstateInput),
    );
    expect(found).toEqual([
      'accounts/0/regions/us-east-1/restApis/0/methods/0/integration: needs exactly one of lambda, http, mock, aws, vpcLink (found lambda, mock)',
    ]);
  });

  it('checks references between parts of the estate', () => {
    const found = problems(() =>
      buildEstateFromObject({
        accounts: [
          {
            id: '111111111111',
            name: 'one',
            regions: {
              'us-east-1': {
                vpcEndpoints: [
                  {
                    id: 'vpce-0123456789abcdef0',
                    vpc: 'vpc-0123456789abcdef0',
                  },
                ],
                loadBalancers: [{ name: 'alb', type: 'application' }],
                vpcLinks: [{ name: 'link', version: 'V1', targets: ['alb'] }],
                restApis: [
                  {
                    id: 'aaaaaaaaaa',
                    name: 'a',
                    vpcEndpointIds: ['vpce-ffffffffffffffff0'],
                    methods: [
                      {
                        route: 'GET /x',
                        authorizer: 'nobody',
                        integration: { vpcLink: { id: 'missing' } },
                      },
                    ],
                  },
                  {
                    id: 'aaaaaaaaaa',
                    name: 'b',
                    endpointType: 'REGIONAL',
                    vpcEndpointIds: ['vpce-0123456789abcdef0'],
                  },
                ],
                httpApis: [
                  {
                    name: 'h',
                    routes: [
                      { key: 'GET /x', integration: 'nope' },
                      { key: 'POST /x', integration: { mock: true } },
                    ],
                  },
                ],
                domainNames: [
                  {
                    name: 'api.example.com',
                    mappings: [{ api: 'aaaaaaaaaa', stage: 'beta' }],
                  },
                ],
              },
            },
          },
        ],
        mainAccount: '999999999999',
      }),
    );
    const at = 'accounts/0/regions/us-east-1';
    expect(found).toEqual(
      expect.arrayContaining([
        `${at}/vpcEndpoints/0/vpc: 'vpc-0123456789abcdef0' is not a VPC of account 111111111111 in us-east-1`,
        `${at}/vpcLinks/0/targets/0: 'alb' is an application load balancer: V1 VPC links target NLBs only`,
        `${at}/restApis/0/vpcEndpointIds/0: 'vpce-ffffffffffffffff0' is not a VPC endpoint of the estate in us-east-1 (an API and the endpoints associated with it share a Region)`,
        `${at}/restApis/0/methods/0/authorizer: 'nobody' is not an authorizer of API a`,
        `${at}/restApis/0/methods/0/integration/vpcLink/id: 'missing' is not a V1 VPC link of account 111111111111 in us-east-1`,
        `${at}/restApis/1/id: duplicate API id 'aaaaaaaaaa'`,
        `${at}/restApis/1/vpcEndpointIds: only PRIVATE APIs have VPC endpoint associations (this one is REGIONAL)`,
        `${at}/httpApis/0/routes/0/integration: 'nope' is not an integration of API h`,
        `${at}/httpApis/0/routes/1/integration: HTTP APIs have no MOCK integrations`,
        `${at}/domainNames/0/mappings/0/stage: API aaaaaaaaaa has no stage 'beta'`,
        "mainAccount: '999999999999' is not an account of the estate",
      ]),
    );
  });

  it('fills defaults and accepts unquoted account ids and dates from YAML', () => {
    const estate = parseEstate(
      [
        'accounts:',
        '  - id: 012345678901',
        '    name: small',
        '    joined: 2020-01-02',
        '    regions:',
        '      us-east-1:',
        '        restApis:',
        '          - name: tiny',
        '            methods: [GET /ping]',
      ].join('\n'),
    );
    const account = estate.accountsById.get('012345678901')!;
    expect(account.joined).toEqual(new Date('2020-01-02T00:00:00Z'));
    const api = account.regions.get('us-east-1')!.restApis[0];
    expect(api).toMatchObject({
      endpointType: 'PRIVATE',
      apiKeySource: 'HEADER',
      policy: undefined,
    });
    expect(api.id).toMatch(/^[a-z0-9]{10}$/);
    expect(api.stages.map(s => s.stageName)).toEqual(['prod']);
    expect([...api.resources[1].methods.values()][0].integration.type).toBe(
      'MOCK',
    );
    // The same input always derives the same ids.
    expect(
      parseEstate(
        `accounts: [{ id: '012345678901', name: small, regions: { us-east-1: { restApis: [{ name: tiny }] } } }]`,
      ).accounts[0].regions.get('us-east-1')!.restApis[0].id,
    ).toBe(api.id);
  });
});

describe('the demo estate', () => {
  let estate: Estate;
  beforeAll(() => {
    estate = loadEstateFile(DEMO_ESTATE_FILE);
  });

  const regions = () =>
    estate.accounts.flatMap(account => [...account.regions.values()]);
  const restApis = () => regions().flatMap(r => r.restApis);
  const v2Apis = () => regions().flatMap(r => r.v2Apis);

  it('has 3+ named accounts, two Regions and 30-50 APIs', () => {
    expect(estate.accounts.length).toBeGreaterThanOrEqual(3);
    expect(estate.accounts.every(a => a.name.length > 0)).toBe(true);
    expect(new Set(regions().map(r => r.region))).toEqual(
      new Set(['us-east-1', 'eu-west-1']),
    );
    const total = restApis().length + v2Apis().length;
    expect(total).toBeGreaterThanOrEqual(30);
    expect(total).toBeLessThanOrEqual(50);
  });

  it('uses well-formed VPC and endpoint ids', () => {
    for (const region of regions()) {
      for (const vpc of region.vpcs)
        expect(vpc.id).toMatch(/^vpc-[0-9a-f]{17}$/);
      for (const endpoint of region.vpcEndpoints)
        expect(endpoint.id).toMatch(/^vpce-[0-9a-f]{17}$/);
    }
  });

  it('covers every case of the design', () => {
    const rest = restApis();
    const endpoints = [...estate.vpcEndpointsById.values()];
    const methods = rest.flatMap(api =>
      api.resources.flatMap(r => [...r.methods.values()]),
    );
    // Cross-account association: an API associated with another account's endpoint.
    expect(
      rest.some(api =>
        api.vpcEndpointIds.some(
          id => estate.vpcEndpointsById.get(id)!.accountId !== api.accountId,
        ),
      ),
    ).toBe(true);
    expect(endpoints.some(e => e.privateDnsEnabled)).toBe(true);
    expect(
      endpoints.some(e => e.type === 'Interface' && !e.privateDnsEnabled),
    ).toBe(true);
    expect(endpoints.some(e => e.tags.access === 'on-premises-vpn')).toBe(true);
    expect(
      rest.some(
        api => api.endpointType === 'PRIVATE' && api.policy === undefined,
      ),
    ).toBe(true);
    expect(rest.some(api => api.policy?.includes('aws:SourceIp'))).toBe(true);
    expect(rest.some(api => api.stages.some(s => s.cacheClusterEnabled))).toBe(
      true,
    );
    expect(methods.some(m => m.integration.connectionType === 'VPC_LINK')).toBe(
      true,
    );
    expect(
      rest.some(api =>
        api.stages.every(s => s.traffic.daily > 0 && s.traffic.daily < 10),
      ),
    ).toBe(true);
    expect(new Set(methods.map(m => m.authorizationType))).toEqual(
      new Set(['NONE', 'AWS_IAM', 'CUSTOM', 'COGNITO_USER_POOLS']),
    );
    expect(
      new Set(rest.flatMap(api => api.authorizers.map(a => a.type))),
    ).toEqual(new Set(['TOKEN', 'REQUEST', 'COGNITO_USER_POOLS']));
    expect(new Set(rest.map(api => api.endpointType))).toEqual(
      new Set(['PRIVATE', 'REGIONAL', 'EDGE']),
    );
    const v2 = v2Apis();
    expect(
      v2.some(
        api =>
          api.protocolType === 'HTTP' &&
          api.authorizers.some(a => a.authorizerType === 'JWT'),
      ),
    ).toBe(true);
    expect(
      v2.some(
        api =>
          api.protocolType === 'WEBSOCKET' &&
          api.authorizers.some(a => a.authorizerType === 'REQUEST'),
      ),
    ).toBe(true);
    const v2Uris = v2.flatMap(api =>
      api.integrations
        .filter(i => i.connectionType === 'VPC_LINK')
        .map(i => i.integrationUri),
    );
    expect(v2Uris.some(uri => uri?.includes(':listener/app/'))).toBe(true);
    expect(v2Uris.some(uri => uri?.includes(':listener/net/'))).toBe(true);
    expect(v2Uris.some(uri => uri?.includes(':servicediscovery:'))).toBe(true);
    const privateDomain = regions()
      .flatMap(r => r.domains)
      .find(d => d.endpointType === 'PRIVATE');
    expect(privateDomain?.accessAssociations.length).toBeGreaterThan(0);
    expect(rest.some(api => api.openapi)).toBe(true);
    // Owner tags on most APIs, none on one or two so that defaults show.
    const all = [...rest, ...v2];
    const untagged = all.filter(api => !api.tags.owner);
    expect(untagged.length).toBeGreaterThanOrEqual(1);
    expect(untagged.length).toBeLessThanOrEqual(2);
    for (const team of ['team-payments', 'team-identity', 'team-platform']) {
      expect(all.some(api => api.tags.owner === team)).toBe(true);
    }
  });
});

describe('generated estates', () => {
  it('are deterministic per seed', () => {
    const options = parseGenerateSpec(
      'accounts=2,rest=6,http=3,regions=2,seed=9',
    );
    expect(generateEstate(options)).toEqual(generateEstate(options));
    expect(generateEstate({ ...options, seed: 10 })).not.toEqual(
      generateEstate(options),
    );
  });

  it('have accounts × (REST + HTTP) APIs in each Region and validate', () => {
    const estate = buildEstateFromObject(
      generateEstate(
        parseGenerateSpec('accounts=3,rest=12,http=4,regions=2,seed=1'),
      ),
    );
    expect(estate.accounts).toHaveLength(3);
    for (const account of estate.accounts) {
      expect([...account.regions.keys()]).toEqual(['us-east-1', 'eu-west-1']);
      for (const region of account.regions.values()) {
        expect(region.restApis).toHaveLength(12);
        expect(region.v2Apis).toHaveLength(4);
        expect(region.restApisById.size).toBe(12);
      }
    }
  });

  it('reject a malformed spec', () => {
    expect(() => parseGenerateSpec('accounts=ten')).toThrow(/accounts=ten/);
    expect(() => parseGenerateSpec('planets=3')).toThrow(/planets=3/);
    expect(() => parseGenerateSpec('regions=9')).toThrow(/regions/);
  });
});
