import { InvalidArgumentError } from '../errors';
import {
  API_ARN,
  AWS_RETURNED_POLICY,
  DOCS_ALLOW_ONLY_SOURCE_IP,
  DOCS_ALLOW_ONLY_VPC,
  DOCS_ALLOW_ONLY_VPCE,
  DOCS_CROSS_ACCOUNT,
  DOCS_DENY_VPC_SOURCE_IP,
  ORG_ONLY,
} from '../__testUtils__/policies';
import { analyzeResourcePolicy, PolicyAnalysis } from './analyze';

const analyze = (
  policy: object | string | undefined,
  options: Partial<Parameters<typeof analyzeResourcePolicy>[1]> = {},
) =>
  analyzeResourcePolicy(
    typeof policy === 'object' ? JSON.stringify(policy) : policy,
    { apiArn: API_ARN, ...options },
  );

const codes = (analysis: PolicyAnalysis) => analysis.findings.map(f => f.code);

const allowAll = {
  Effect: 'Allow',
  Principal: '*',
  Action: 'execute-api:Invoke',
  Resource: 'execute-api:/*',
};

describe('analyzeResourcePolicy', () => {
  it('lists the endpoint allowed by the aws:SourceVpce example and flags it when not associated', () => {
    const analysis = analyze(DOCS_ALLOW_ONLY_VPCE, {
      associatedVpcEndpointIds: [],
    });
    expect(analysis).toMatchObject({
      hasPolicy: true,
      audience: 'restricted',
      anonymous: true,
      vpcEndpoints: { any: false, allowed: ['vpce-1a2b3c4d'], denied: [] },
      vpcs: { any: true },
      scopes: [],
    });
    expect(analysis.findings).toContainEqual({
      severity: 'warning',
      code: 'vpce-not-associated',
      message:
        "vpce-1a2b3c4d is allowed by the policy but not associated with the API, so its Route 53 alias abc123-vpce-1a2b3c4d.execute-api.us-east-1.amazonaws.com will not resolve; private DNS and the endpoint's own DNS name with a Host header still work.",
      statements: [1],
    });
    expect(
      codes(
        analyze(DOCS_ALLOW_ONLY_VPCE, {
          associatedVpcEndpointIds: ['vpce-1a2b3c4d'],
        }),
      ),
    ).not.toContain('vpce-not-associated');
  });

  it('lists the VPC allowed by the aws:SourceVpc example, any endpoint in it', () => {
    const analysis = analyze(DOCS_ALLOW_ONLY_VPC);
    expect(analysis.vpcs).toEqual({
      any: false,
      allowed: ['vpc-1a2b3c4d'],
      denied: [],
    });
    expect(analysis.vpcEndpoints?.any).toBe(true);
    expect(analysis.statements[1]).toEqual({
      index: 1,
      sid: undefined,
      effect: 'Deny',
      description:
        'Deny anyone execute-api:Invoke on execute-api:/* when aws:SourceVpc is not vpc-1a2b3c4d',
    });
  });

  it('reads the escaped policy AWS returns and flags only the endpoint that is not associated', () => {
    const analysis = analyze(AWS_RETURNED_POLICY, {
      associatedVpcEndpointIds: ['vpce-0a1b2c3d4e5f60718'],
    });
    expect(analysis.vpcEndpoints?.allowed).toEqual([
      'vpce-0a1b2c3d4e5f60718',
      'vpce-0f1e2d3c4b5a69788',
    ]);
    expect(
      analysis.findings
        .filter(f => f.code === 'vpce-not-associated')
        .map(f => f.message),
    ).toEqual([expect.stringMatching(/^vpce-0f1e2d3c4b5a69788 is allowed/)]);
  });

  it('says that a private API without a policy rejects every call', () => {
    for (const policy of [undefined, '', '  ']) {
      const analysis = analyze(policy);
      expect(analysis).toMatchObject({
        hasPolicy: false,
        audience: 'nobody',
        anonymous: false,
      });
      expect(analysis.findings).toEqual([
        expect.objectContaining({ severity: 'error', code: 'no-policy' }),
      ]);
    }
    expect(analyze(undefined, { endpointType: 'REGIONAL' })).toMatchObject({
      audience: 'anyone',
      findings: [
        expect.objectContaining({ severity: 'info', code: 'no-policy' }),
      ],
    });
  });

  it('warns that a private API open to anyone is open to every VPC endpoint of the Region', () => {
    const analysis = analyze({ Statement: [allowAll] });
    expect(analysis.audience).toBe('anyone');
    expect(analysis.findings).toContainEqual(
      expect.objectContaining({
        code: 'open-to-any-vpc-endpoint',
        message: expect.stringContaining(
          'any execute-api endpoint in us-east-1, in any AWS account',
        ),
      }),
    );
  });

  it('finds an Allow that a Deny overrides for everyone', () => {
    const analysis = analyze({
      Statement: [allowAll, { ...allowAll, Effect: 'Deny', Sid: 'Lockdown' }],
    });
    expect(analysis.audience).toBe('nobody');
    expect(analysis.findings).toEqual([
      {
        severity: 'error',
        code: 'nobody-can-call',
        message:
          'No call can pass this policy: Statement[1] "Lockdown" (Deny) deny every call that an Allow lets in.',
        statements: [1],
      },
      {
        severity: 'warning',
        code: 'allow-overridden-by-deny',
        message:
          'Statement[0] (Allow) never takes effect: Statement[1] "Lockdown" (Deny) deny every call it allows.',
        statements: [0, 1],
      },
    ]);
  });

  it('sees that only the named roles of another account may call, on one method, from any VPC', () => {
    const analysis = analyze(DOCS_CROSS_ACCOUNT, { stages: ['stage', 'prod'] });
    expect(analysis).toMatchObject({
      audience: 'authenticated-only',
      anonymous: false,
      principals: {
        any: false,
        allowed: [
          'arn:aws:iam::111122223333:role/developer',
          'arn:aws:iam::111122223333:role/Admin',
        ],
        denied: [],
      },
      vpcs: { any: true },
    });
    expect(analysis.scopes.map(s => [s.resources, s.audience])).toEqual([
      [['any stage, method and path', 'stage stage', 'stage prod'], 'nobody'],
      [['execute-api:/stage/GET/pets'], 'authenticated-only'],
    ]);
    expect(codes(analysis)).toContain('cross-account-principals');
  });

  it('sees an organization restriction as "signed callers of o-... only"', () => {
    const analysis = analyze(ORG_ONLY);
    expect(analysis).toMatchObject({
      audience: 'authenticated-only',
      organizations: { any: false, allowed: ['o-a1b2c3d4e5'], denied: [] },
    });
  });

  it('lists the denied aws:VpcSourceIp ranges', () => {
    expect(analyze(DOCS_DENY_VPC_SOURCE_IP)).toMatchObject({
      audience: 'anyone',
      vpcSourceIps: {
        any: true,
        allowed: [],
        denied: ['192.0.2.0/24', '198.51.100.0/24'],
      },
    });
  });

  it('warns that aws:SourceIp is absent through a VPC endpoint, so NotIpAddress denies every call of a private API', () => {
    const privateApi = analyze(DOCS_ALLOW_ONLY_SOURCE_IP);
    expect(privateApi.audience).toBe('nobody');
    expect(privateApi.findings).toContainEqual(
      expect.objectContaining({
        code: 'source-ip-on-private-api',
        statements: [1],
        message: expect.stringContaining(
          'This analysis assumes that calls through a VPC endpoint carry no aws:SourceIp',
        ),
      }),
    );
    expect(
      analyze(DOCS_ALLOW_ONLY_SOURCE_IP, { endpointType: 'REGIONAL' }),
    ).toMatchObject({
      audience: 'restricted',
      sourceIps: {
        any: false,
        allowed: ['192.0.2.0/24', '203.0.113.0/24'],
        denied: [],
      },
      findings: [],
    });
  });

  it('warns about VPC keys in the policy of a public API', () => {
    const analysis = analyze(DOCS_ALLOW_ONLY_VPCE, { endpointType: 'EDGE' });
    expect(analysis.audience).toBe('nobody');
    expect(codes(analysis)).toContain('vpc-keys-on-public-api');
    expect(analysis.vpcEndpoints).toBeUndefined();
  });

  it('shows per-stage differences', () => {
    const analysis = analyze(
      {
        Statement: [
          { ...allowAll, Resource: 'execute-api:/prod/*' },
          {
            ...allowAll,
            Resource: 'execute-api:/test/*',
            Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-0test' } },
          },
        ],
      },
      { stages: ['prod', 'test', 'dev'] },
    );
    expect(analysis.audience).toBe('anyone');
    expect(
      analysis.scopes.map(s => ({
        resources: s.resources,
        audience: s.audience,
        vpcEndpoints: s.vpcEndpoints,
      })),
    ).toEqual([
      {
        resources: ['any stage, method and path', 'stage dev'],
        audience: 'nobody',
        vpcEndpoints: { any: false, allowed: [], denied: ['vpce-0test'] },
      },
      {
        resources: ['stage prod', 'execute-api:/prod/*'],
        audience: 'anyone',
        vpcEndpoints: { any: true, allowed: ['vpce-0test'], denied: [] },
      },
      {
        resources: ['stage test', 'execute-api:/test/*'],
        audience: 'restricted',
        vpcEndpoints: { any: false, allowed: ['vpce-0test'], denied: [] },
      },
    ]);
  });

  it('reports unknown operators, unmodelled keys and statements that never apply', () => {
    const analysis = analyze({
      Statement: [
        allowAll,
        {
          ...allowAll,
          Effect: 'Deny',
          Condition: { NumericLessThan: { 'aws:EpochTime': 1 } },
        },
        {
          ...allowAll,
          Resource: 'arn:aws:execute-api:us-east-1:123456789012:otherapi/*',
        },
        {
          ...allowAll,
          Effect: 'Deny',
          Condition: { StringLike: { 'aws:UserAgent': 'bot*' } },
        },
      ],
    });
    expect(analysis.findings.map(f => [f.code, f.statements])).toEqual([
      ['open-to-any-vpc-endpoint', []],
      ['statement-never-applies', [2]],
      ['statement-never-applies', [3]],
      ['unknown-operator', [1]],
      ['unmodelled-condition-key', [1, 3]],
    ]);
  });

  it('folds long lists: three hundred endpoints cost no more than one', () => {
    const vpces = Array.from(
      { length: 300 },
      (_, i) => `vpce-${String(i).padStart(8, '0')}`,
    );
    const analysis = analyze({
      Statement: [
        allowAll,
        {
          ...allowAll,
          Effect: 'Deny',
          Condition: { StringNotEquals: { 'aws:SourceVpce': vpces } },
        },
      ],
    });
    expect(analysis.vpcEndpoints?.allowed).toEqual(vpces);
    expect(codes(analysis)).not.toContain('analysis-truncated');
  });

  it('rejects an API ARN that is not one', () => {
    expect(() =>
      analyzeResourcePolicy(JSON.stringify({ Statement: [allowAll] }), {
        apiArn: 'arn:aws:apigateway:us-east-1::/restapis/abc123',
      }),
    ).toThrow(InvalidArgumentError);
  });
});
