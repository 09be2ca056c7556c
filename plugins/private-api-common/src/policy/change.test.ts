import fc from 'fast-check';
import { InvalidArgumentError } from '../errors';
import {
  API_ARN,
  AWS_RETURNED_POLICY,
  call,
  DOCS_ALLOW_ONLY_VPC,
  DOCS_ALLOW_ONLY_VPCE,
  DOCS_CROSS_ACCOUNT,
} from '../__testUtils__/policies';
import { BENCH_SEED_2_POLICY } from '../__testUtils__/benchPolicy';
import {
  grantVpcAccess,
  revokeVpcAccess,
  undoPolicyChange,
  VpcAccessGrant,
} from './change';
import { decide } from './evaluate';
import { parseResourcePolicy } from './parse';
import { findAllowedCall } from './space';
import { AccessRequestContext, ResourcePolicy } from './types';

const options = { apiArn: API_ARN };
const text = (document: object) => JSON.stringify(document);
const allowAll = {
  Effect: 'Allow',
  Principal: '*',
  Action: 'execute-api:Invoke',
  Resource: `${API_ARN}/*`,
};

/** The decision (without the explanation, which thousands of property checks do not need). */
function decision(
  policy: ResourcePolicy | undefined,
  request: AccessRequestContext,
) {
  return policy ? decide(policy, request, false).decision : 'implicit-deny';
}

const fromEndpoint = (vpce: string, vpc = 'vpc-0fff0000') => ({
  resource: call('prod', 'GET', '/pets'),
  sourceVpce: vpce,
  sourceVpc: vpc,
});

describe('grantVpcAccess', () => {
  it('adds the endpoint to the Deny StringNotEquals list of the AWS example', () => {
    const change = grantVpcAccess(
      text(DOCS_ALLOW_ONLY_VPCE),
      { vpceId: 'vpce-0bbb2222' },
      options,
    );
    expect(change.changed).toBe(true);
    expect(change.policy.document.Statement).toEqual([
      DOCS_ALLOW_ONLY_VPCE.Statement[0],
      {
        ...DOCS_ALLOW_ONLY_VPCE.Statement[1],
        Condition: {
          StringNotEquals: {
            'aws:SourceVpce': ['vpce-1a2b3c4d', 'vpce-0bbb2222'],
          },
        },
      },
    ]);
    expect(change.summary).toBe(
      'Added vpce-0bbb2222 to the aws:SourceVpce values that Statement[1] (Deny) exempts (it denies every other caller), which lets vpce-0bbb2222 in.',
    );
    expect(change.notes).toEqual([
      'A resource policy change takes effect only after a new deployment of every stage (CreateDeployment).',
    ]);
    expect(change.diff.split('\n')).toEqual([
      '…',
      '        ],',
      '        "Condition": {',
      '          "StringNotEquals": {',
      '-           "aws:SourceVpce": "vpce-1a2b3c4d"',
      '+           "aws:SourceVpce": [',
      '+             "vpce-1a2b3c4d",',
      '+             "vpce-0bbb2222"',
      '+           ]',
      '          }',
      '        }',
      '      }',
      '…',
    ]);
    expect(decision(change.policy, fromEndpoint('vpce-0bbb2222'))).toBe(
      'allow',
    );
  });

  it('appends to the list of the escaped policy AWS returns, and gives plain JSON to apply', () => {
    const change = grantVpcAccess(
      AWS_RETURNED_POLICY,
      { vpceId: 'vpce-0ccc3333' },
      options,
    );
    expect(JSON.parse(change.policyJson!).Statement[1].Condition).toEqual({
      StringNotEquals: {
        'aws:SourceVpce': [
          'vpce-0a1b2c3d4e5f60718',
          'vpce-0f1e2d3c4b5a69788',
          'vpce-0ccc3333',
        ],
      },
    });
    expect(change.policyJson).not.toContain('\\');
  });

  it('writes the standard pair when there is no policy', () => {
    for (const none of [undefined, '', ' ']) {
      const change = grantVpcAccess(none, { vpcId: 'vpc-0abc1234' }, options);
      expect(change.policy.document).toEqual({
        Version: '2012-10-17',
        Statement: [
          allowAll,
          {
            ...allowAll,
            Effect: 'Deny',
            Condition: { StringNotEquals: { 'aws:SourceVpc': 'vpc-0abc1234' } },
          },
        ],
      });
      expect(change.diff.split('\n').every(line => line.startsWith('+ '))).toBe(
        true,
      );
    }
  });

  it('exempts an endpoint from a Deny that lists VPCs, without letting its whole VPC in', () => {
    const change = grantVpcAccess(
      text(DOCS_ALLOW_ONLY_VPC),
      { vpceId: 'vpce-0bbb2222' },
      options,
    );
    expect(change.policy.statements[1].conditions).toEqual([
      {
        operator: 'StringNotEquals',
        key: 'aws:SourceVpc',
        values: ['vpc-1a2b3c4d'],
      },
      {
        operator: 'StringNotEquals',
        key: 'aws:SourceVpce',
        values: ['vpce-0bbb2222'],
      },
    ]);
    expect(
      decision(change.policy, fromEndpoint('vpce-0bbb2222', 'vpc-0ddd4444')),
    ).toBe('allow');
    expect(
      decision(change.policy, fromEndpoint('vpce-0eee5555', 'vpc-0ddd4444')),
    ).toBe('explicit-deny');
  });

  it('extends an Allow StringEquals list, keeping the key as written', () => {
    const policy = {
      Version: '2012-10-17',
      Statement: [
        {
          ...allowAll,
          Condition: { StringEquals: { 'aws:sourceVpce': ['vpce-0aaa1111'] } },
        },
      ],
    };
    const change = grantVpcAccess(
      text(policy),
      { vpceId: 'vpce-0bbb2222' },
      options,
    );
    expect(change.policy.document.Statement).toEqual([
      {
        ...allowAll,
        Condition: {
          StringEquals: {
            'aws:sourceVpce': ['vpce-0aaa1111', 'vpce-0bbb2222'],
          },
        },
      },
    ]);
  });

  it('copies an Allow that lists endpoints when a VPC is granted', () => {
    const policy = {
      Statement: {
        ...allowAll,
        Sid: 'Endpoints',
        Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-0aaa1111' } },
      },
    };
    const change = grantVpcAccess(
      text(policy),
      { vpcId: 'vpc-0abc1234' },
      options,
    );
    expect(change.policy.document.Statement).toEqual([
      policy.Statement,
      {
        ...allowAll,
        Condition: { StringEquals: { 'aws:SourceVpc': 'vpc-0abc1234' } },
      },
    ]);
    expect(change.summary).toBe(
      'Added a copy of Statement[0] "Endpoints" (Allow) for VPC vpc-0abc1234 in place of its aws:SourceVpce list.',
    );
  });

  it('takes the caller off a Deny list, removing a Deny that named it only', () => {
    const policy = {
      Statement: [
        allowAll,
        {
          ...allowAll,
          Effect: 'Deny',
          Condition: {
            StringEquals: {
              'aws:SourceVpce': ['vpce-0bad0001', 'vpce-0bbb2222'],
            },
          },
        },
        {
          ...allowAll,
          Effect: 'Deny',
          Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-0bbb2222' } },
        },
      ],
    };
    const change = grantVpcAccess(
      text(policy),
      { vpceId: 'vpce-0bbb2222' },
      options,
    );
    expect(change.changes).toEqual([
      'Removed vpce-0bbb2222 from the aws:SourceVpce list of Statement[1] (Deny).',
      'Removed Statement[2] (Deny), which denied VPC endpoint vpce-0bbb2222 only.',
    ]);
    expect(change.policy.statements).toHaveLength(2);
  });

  it('changes nothing when the caller may already call', () => {
    const change = grantVpcAccess(
      text(DOCS_ALLOW_ONLY_VPCE),
      { vpceId: 'vpce-1a2b3c4d' },
      options,
    );
    expect(change).toMatchObject({
      changed: false,
      summary:
        'VPC endpoint vpce-1a2b3c4d may already call this API; nothing to change.',
      diff: '',
      notes: [],
    });
    expect(change.policyJson).toBe(JSON.stringify(DOCS_ALLOW_ONLY_VPCE));
  });

  it('leaves a policy that restricts principals, not VPCs, alone and says so', () => {
    const change = grantVpcAccess(
      text(DOCS_CROSS_ACCOUNT),
      { vpcId: 'vpc-0abc1234' },
      options,
    );
    expect(change).toMatchObject({
      changed: false,
      summary:
        'The policy does not restrict VPC vpc-0abc1234, but only the signed callers it names may call; nothing to change.',
    });
  });

  it('says what still denies the caller when the pattern cannot be extended', () => {
    const policy = {
      Statement: [
        allowAll,
        {
          ...allowAll,
          Effect: 'Deny',
          Condition: { StringLike: { 'aws:SourceVpce': 'vpce-0b*' } },
        },
      ],
    };
    const change = grantVpcAccess(
      text(policy),
      { vpceId: 'vpce-0bbb2222' },
      options,
    );
    expect(change.changed).toBe(false);
    expect(change.summary).toBe(
      'Nothing to change that the pattern allows: VPC endpoint vpce-0bbb2222 is still denied: Statement[1] (Deny) (Deny anyone execute-api:Invoke on execute-api:/* when aws:SourceVpce matches vpce-0b*).',
    );
  });

  it('grants a VPC and an endpoint together', () => {
    const change = grantVpcAccess(
      undefined,
      { vpcId: 'vpc-0abc1234', vpceId: 'vpce-0bbb2222' },
      options,
    );
    expect(change.policy.statements[1].conditions).toEqual([
      {
        operator: 'StringNotEquals',
        key: 'aws:SourceVpc',
        values: ['vpc-0abc1234'],
      },
      {
        operator: 'StringNotEquals',
        key: 'aws:SourceVpce',
        values: ['vpce-0bbb2222'],
      },
    ]);
  });

  it.each([
    [
      { vpcId: 'vpc-XYZ' },
      'grant.vpcId: expected vpc- followed by 8 or 17 hex digits, got "vpc-XYZ"',
    ],
    [
      { vpceId: 'vpc-0abc1234' },
      'grant.vpceId: expected vpce- followed by 8 or 17 hex digits, got "vpc-0abc1234"',
    ],
    [{}, 'grant: name a vpcId or a vpceId'],
  ] as Array<[VpcAccessGrant, string]>)('rejects %j', (grant, message) => {
    expect(() => grantVpcAccess(undefined, grant, options)).toThrow(message);
    expect(() => revokeVpcAccess(undefined, grant, options)).toThrow(
      InvalidArgumentError,
    );
  });
});

describe('revokeVpcAccess', () => {
  it('takes the endpoint off the list of the escaped policy AWS returns', () => {
    const change = revokeVpcAccess(
      AWS_RETURNED_POLICY,
      { vpceId: 'vpce-0f1e2d3c4b5a69788' },
      options,
    );
    expect(change.summary).toBe(
      'Removed vpce-0f1e2d3c4b5a69788 from the aws:SourceVpce list of Statement[1] (Deny).',
    );
    expect(
      decision(change.policy, fromEndpoint('vpce-0f1e2d3c4b5a69788')),
    ).toBe('explicit-deny');
    expect(
      decision(change.policy, fromEndpoint('vpce-0a1b2c3d4e5f60718')),
    ).toBe('allow');
  });

  it('leaves a Deny for everyone when the last endpoint is revoked, and says nobody may call', () => {
    const change = revokeVpcAccess(
      text(DOCS_ALLOW_ONLY_VPCE),
      { vpceId: 'vpce-1a2b3c4d' },
      options,
    );
    expect(change.policy.document.Statement).toEqual(
      [
        DOCS_ALLOW_ONLY_VPCE.Statement[0],
        { ...DOCS_ALLOW_ONLY_VPCE.Statement[1], Condition: undefined },
      ].map(s => JSON.parse(JSON.stringify(s))),
    );
    expect(change.notes[0]).toBe(
      'After this change no call can pass the policy: nobody may call the API.',
    );
  });

  it('adds a Deny when the caller is let in by an Allow for everyone', () => {
    const change = revokeVpcAccess(
      text({ Statement: [allowAll] }),
      { vpcId: 'vpc-0abc1234' },
      options,
    );
    expect(change.policy.document.Statement).toEqual([
      allowAll,
      {
        ...allowAll,
        Effect: 'Deny',
        Condition: { StringEquals: { 'aws:SourceVpc': 'vpc-0abc1234' } },
      },
    ]);
    // A second revoke extends that Deny's list.
    const again = revokeVpcAccess(
      change.policy,
      { vpcId: 'vpc-0def5678' },
      options,
    );
    expect(again.summary).toBe(
      'Added vpc-0def5678 to the aws:SourceVpc list of Statement[1] (Deny).',
    );
  });

  it('keeps out a VPC that an endpoint list would still let in', () => {
    const policy = {
      Statement: [
        allowAll,
        {
          ...allowAll,
          Effect: 'Deny',
          Condition: {
            StringNotEquals: {
              'aws:SourceVpc': 'vpc-0abc1234',
              'aws:SourceVpce': 'vpce-0aaa1111',
            },
          },
        },
      ],
    };
    const change = revokeVpcAccess(
      text(policy),
      { vpcId: 'vpc-0abc1234' },
      options,
    );
    expect(change.changes).toEqual([
      'Removed the aws:SourceVpc condition from Statement[1] (Deny), which exempted VPC vpc-0abc1234 only.',
      'Added a Deny for VPC vpc-0abc1234 on the whole API.',
    ]);
    expect(
      decision(change.policy, fromEndpoint('vpce-0aaa1111', 'vpc-0abc1234')),
    ).toBe('explicit-deny');
    expect(
      decision(change.policy, fromEndpoint('vpce-0aaa1111', 'vpc-0def5678')),
    ).toBe('allow');
  });

  it('changes nothing when the caller is already kept out', () => {
    expect(
      revokeVpcAccess(
        text(DOCS_ALLOW_ONLY_VPCE),
        { vpceId: 'vpce-0bbb2222' },
        options,
      ),
    ).toMatchObject({
      changed: false,
      diff: '',
      summary:
        'VPC endpoint vpce-0bbb2222 cannot call this API already; nothing to change.',
    });
    expect(
      revokeVpcAccess(undefined, { vpceId: 'vpce-0bbb2222' }, options),
    ).toMatchObject({
      changed: false,
      policyJson: undefined,
    });
  });
});

describe('undoPolicyChange', () => {
  const example = (vpces: string[], extra: object[] = []) =>
    text({
      Version: '2012-10-17',
      Statement: [
        allowAll,
        {
          ...allowAll,
          Effect: 'Deny',
          Condition: { StringNotEquals: { 'aws:SourceVpce': vpces } },
        },
        ...extra,
      ],
    });

  it('puts a value back into the statement the revoke took it out of, not into another of the same shape', () => {
    // Found by the property below: two Deny statements with the same condition keys, the
    // revoke edits the second; the first already lacks the value, and must stay as it is.
    const deny = (vpc: string, vpces: string[]) => ({
      ...allowAll,
      Effect: 'Deny',
      Condition: {
        StringNotEqualsIfExists: {
          'aws:SourceVpc': [vpc],
          'aws:SourceVpce': vpces,
        },
      },
    });
    const before = text({
      Version: '2012-10-17',
      Statement: [
        deny('vpc-0000000b', ['vpce-0000000c']),
        deny('vpc-0000000c', ['vpce-0000000c', 'vpce-0000000d']),
        allowAll,
      ],
    });
    const change = revokeVpcAccess(
      before,
      { vpceId: 'vpce-0000000d' },
      options,
    );
    expect(change.changed).toBe(true);
    const undo = undoPolicyChange(change.policyJson, before, change.policyJson);
    expect(undo.clean).toBe(true);
    expect(JSON.parse(undo.policyJson!).Statement).toEqual(
      JSON.parse(before).Statement,
    );
  });

  it('puts an endpoint back into each of two identical lists a revoke took it out of', () => {
    const deny = {
      ...allowAll,
      Effect: 'Deny',
      Condition: {
        StringNotEquals: {
          'aws:SourceVpce': ['vpce-0000000a', 'vpce-0000000d'],
        },
      },
    };
    const before = text({
      Version: '2012-10-17',
      Statement: [allowAll, deny, deny],
    });
    const change = revokeVpcAccess(
      before,
      { vpceId: 'vpce-0000000a' },
      options,
    );
    const undo = undoPolicyChange(change.policyJson, before, change.policyJson);
    expect(undo.clean).toBe(true);
    expect(
      JSON.parse(undo.policyJson!)
        .Statement.slice(1)
        .map((st: any) => st.Condition.StringNotEquals['aws:SourceVpce']),
    ).toEqual([
      expect.arrayContaining(['vpce-0000000a', 'vpce-0000000d']),
      expect.arrayContaining(['vpce-0000000a', 'vpce-0000000d']),
    ]);
  });

  it('takes out the granted endpoint and keeps one added to the same list meanwhile', () => {
    const before = example(['vpce-0000000a']);
    const change = grantVpcAccess(before, { vpceId: 'vpce-0000000b' }, options);
    const current = example([
      'vpce-0000000a',
      'vpce-0000000b',
      'vpce-0000000c',
    ]);
    const undo = undoPolicyChange(current, before, change.policyJson);
    expect(undo).toMatchObject({ clean: true, changed: true });
    expect(JSON.parse(undo.policyJson!).Statement[1].Condition).toEqual({
      StringNotEquals: { 'aws:SourceVpce': ['vpce-0000000a', 'vpce-0000000c'] },
    });
  });

  it('keeps a statement added meanwhile and removes the statement the change added', () => {
    const before = undefined;
    const change = grantVpcAccess(before, { vpceId: 'vpce-0000000b' }, options);
    const console = {
      ...allowAll,
      Sid: 'Ops',
      Effect: 'Deny',
      Resource: `${API_ARN}/test/*`,
    };
    const current = text({
      ...JSON.parse(change.policyJson!),
      Statement: [...JSON.parse(change.policyJson!).Statement, console],
    });
    const undo = undoPolicyChange(current, before, change.policyJson);
    expect(undo.clean).toBe(true);
    expect(JSON.parse(undo.policyJson!).Statement).toEqual([console]);
  });

  it('reports a conflict when the statement it changed was rewritten meanwhile', () => {
    const before = example(['vpce-0000000a']);
    const change = grantVpcAccess(before, { vpceId: 'vpce-0000000b' }, options);
    const current = text({
      Statement: [
        allowAll,
        {
          ...allowAll,
          Effect: 'Deny',
          Condition: { StringNotEquals: { 'aws:SourceVpc': 'vpc-0000000a' } },
        },
      ],
    });
    const undo = undoPolicyChange(current, before, change.policyJson);
    expect(undo.clean).toBe(false);
    expect(undo.conflicts.join(' ')).toContain('vpce-0000000b');
  });
});

describe('grant and revoke properties', () => {
  // The policies name these; requests and grants also use a fifth value no policy names.
  const VPCS = ['vpc-0000000a', 'vpc-0000000b', 'vpc-0000000c', 'vpc-0000000d'];
  const VPCES = [
    'vpce-0000000a',
    'vpce-0000000b',
    'vpce-0000000c',
    'vpce-0000000d',
  ];
  const FRESH_VPC = 'vpc-0000000e';
  const FRESH_VPCE = 'vpce-0000000e';
  const IPS = ['10.0.0.5', '10.1.0.5', '192.0.2.5'];
  const PRINCIPALS = [
    '*',
    'arn:aws:iam::111122223333:role/app',
    '123456789012',
  ];
  const STAGES = ['prod', 'test'];

  /** Every combination of the pool: the requests the properties are checked on. */
  const REQUESTS: AccessRequestContext[] = [...VPCS, FRESH_VPC].flatMap(
    sourceVpc =>
      [...VPCES, FRESH_VPCE].flatMap(sourceVpce =>
        IPS.flatMap(vpcSourceIp =>
          PRINCIPALS.flatMap(principal =>
            STAGES.map(stage => ({
              resource: call(stage, 'GET', '/pets'),
              principal,
              sourceVpc,
              sourceVpce,
              vpcSourceIp,
            })),
          ),
        ),
      ),
  );

  const key = fc.constantFrom(
    'aws:SourceVpc',
    'aws:SourceVpce',
    'aws:sourcevpce',
  );
  const values = (k: string) =>
    fc.subarray(k.toLowerCase() === 'aws:sourcevpc' ? VPCS : VPCES, {
      minLength: 1,
    });
  /** A list as IAM takes it: a single value may be written as a string. */
  const written = (list: string[]) =>
    fc.constantFrom<string | string[]>(
      list,
      ...(list.length === 1 ? [list[0]] : []),
    );
  const condition = (operators: string[]) =>
    fc
      .tuple(
        fc.constantFrom(...operators),
        fc.uniqueArray(key, {
          minLength: 1,
          maxLength: 2,
          selector: k => k.toLowerCase(),
        }),
      )
      .chain(([operator, keys]) =>
        fc.tuple(...keys.map(k => values(k).chain(written))).map(lists => ({
          [operator]: Object.fromEntries(keys.map((k, i) => [k, lists[i]])),
        })),
      );
  const resource = fc.constantFrom(
    'execute-api:/*',
    `${API_ARN}/*`,
    'execute-api:/prod/*',
  );
  const statement = fc.oneof(
    resource.map(Resource => ({ ...allowAll, Resource })),
    fc.record({
      ...base('Allow'),
      Condition: condition([
        'StringEquals',
        'StringEqualsIgnoreCase',
        'StringEqualsIfExists',
        'ForAnyValue:StringEquals',
        'StringLike',
      ]),
    }),
    fc.record({
      ...base('Deny'),
      Condition: condition([
        'StringNotEquals',
        'StringNotEqualsIfExists',
        'ForAllValues:StringNotEquals',
        'StringNotLike',
      ]),
    }),
    fc.record({
      ...base('Deny'),
      Condition: condition(['StringEquals', 'StringEqualsIgnoreCase']),
    }),
    fc.record({ ...base('Allow'), Condition: condition(['StringNotEquals']) }),
    // Statements about something else than VPCs.
    fc.constant({
      ...allowAll,
      Effect: 'Deny',
      Condition: { NotIpAddress: { 'aws:VpcSourceIp': '10.0.0.0/16' } },
    }),
    fc.constant({
      ...allowAll,
      Effect: 'Deny',
      Resource: 'execute-api:/test/*',
    }),
    fc.constant({ ...allowAll, Principal: { AWS: '111122223333' } }),
  );
  function base(Effect: string) {
    return {
      Effect: fc.constant(Effect),
      Principal: fc.constant('*'),
      Action: fc.constant('execute-api:Invoke'),
      Resource: resource,
    };
  }
  const policy = fc.option(
    fc
      .array(statement, { minLength: 1, maxLength: 5 })
      .map(Statement => JSON.stringify({ Version: '2012-10-17', Statement })),
    { freq: 8 },
  );
  const grant: fc.Arbitrary<VpcAccessGrant> = fc.oneof(
    fc.constantFrom(...VPCS, FRESH_VPC).map(vpcId => ({ vpcId })),
    fc.constantFrom(...VPCES, FRESH_VPCE).map(vpceId => ({ vpceId })),
  );
  const carries = (request: AccessRequestContext, g: VpcAccessGrant) =>
    request.sourceVpc === g.vpcId || request.sourceVpce === g.vpceId;
  const parsed = (p: string | null) => (p ? parseResourcePolicy(p) : undefined);

  /** The calls whose decision breaks a property, named for the failure message. */
  const breaking = (
    policyBefore: ResourcePolicy | undefined,
    policyAfter: ResourcePolicy | undefined,
    broken: (call: {
      request: AccessRequestContext;
      was: boolean;
      is: boolean;
    }) => boolean,
  ) =>
    REQUESTS.filter(request =>
      broken({
        request,
        was: decision(policyBefore, request) === 'allow',
        is: decision(policyAfter, request) === 'allow',
      }),
    );

  it('grant: the new caller is allowed, every allowed call stays allowed, every other denied call stays denied', () => {
    fc.assert(
      fc.property(policy, grant, (p, g) => {
        const before = parsed(p);
        const after = grantVpcAccess(p ?? undefined, g, options).policy;
        expect(breaking(before, after, ({ was, is }) => was && !is)).toEqual(
          [],
        );
        expect(
          breaking(
            before,
            after,
            ({ request: r, was, is }) => !carries(r, g) && !was && is,
          ),
        ).toEqual([]);
        // Where the policy lets unsigned callers in at all (from an address no IP rule
        // denies), it now lets them in from the new caller too: from the granted VPC
        // through an endpoint the policy does not name, or through the granted endpoint
        // from a VPC it does not name.
        const unsigned = (r: AccessRequestContext) =>
          r.principal === '*' && r.vpcSourceIp === '10.0.0.5';
        const newCaller = (r: AccessRequestContext) =>
          g.vpcId
            ? r.sourceVpc === g.vpcId && r.sourceVpce === FRESH_VPCE
            : r.sourceVpce === g.vpceId && r.sourceVpc === FRESH_VPC;
        const letsUnsignedIn =
          !before ||
          REQUESTS.some(r => unsigned(r) && decision(before, r) === 'allow');
        const letsNewCallerIn = REQUESTS.some(
          r => unsigned(r) && newCaller(r) && decision(after, r) === 'allow',
        );
        expect(!letsUnsignedIn || letsNewCallerIn).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('revoke: the revoked caller is denied, every denied call stays denied, every other allowed call stays allowed', () => {
    fc.assert(
      fc.property(policy, grant, (p, g) => {
        const before = parsed(p);
        const after = revokeVpcAccess(p ?? undefined, g, options).policy;
        expect(
          breaking(before, after, ({ request: r, is }) => carries(r, g) && is),
        ).toEqual([]);
        expect(breaking(before, after, ({ was, is }) => !was && is)).toEqual(
          [],
        );
        expect(
          breaking(
            before,
            after,
            ({ request: r, was, is }) => !carries(r, g) && was && !is,
          ),
        ).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('grant then revoke keeps out the caller again, and everyone else as before', () => {
    fc.assert(
      fc.property(policy, grant, (p, g) => {
        const before = parsed(p);
        const granted = grantVpcAccess(p ?? undefined, g, options).policy;
        const revoked = revokeVpcAccess(granted, g, options).policy;
        expect(
          breaking(before, revoked, ({ request: r, was, is }) =>
            carries(r, g) ? is : is !== was,
          ),
        ).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('stage-scoped grant: the caller gets in on those stages only; every other call keeps its decision', () => {
    fc.assert(
      fc.property(
        policy,
        grant,
        fc.subarray(STAGES, { minLength: 1, maxLength: 1 }),
        (p, g, stages) => {
          const before = parsed(p);
          const whole = grantVpcAccess(p ?? undefined, g, options);
          const change = grantVpcAccess(p ?? undefined, g, {
            ...options,
            stages,
          });
          const after = change.policy;
          const inStages = (r: AccessRequestContext) =>
            stages.some(stage => r.resource.startsWith(`${API_ARN}/${stage}/`));
          // Nothing that was allowed is taken away.
          expect(breaking(before, after, ({ was, is }) => was && !is)).toEqual(
            [],
          );
          // Calls without the value keep their decision.
          expect(
            breaking(
              before,
              after,
              ({ request: r, was, is }) => !carries(r, g) && was !== is,
            ),
          ).toEqual([]);
          // In the requested stages the caller gets what the whole grant gives.
          expect(
            REQUESTS.filter(
              r =>
                inStages(r) &&
                decision(whole.policy, r) === 'allow' &&
                decision(after, r) !== 'allow',
            ),
          ).toEqual([]);
          // Elsewhere nothing new is allowed, but on the stages (or all of them) where the
          // change says the caller could already call in part.
          if (change.notes.some(n => n.includes('is not limited'))) return;
          const widened = change.notes.flatMap(
            n => n.match(/could already call stage (\S+) in part/)?.[1] ?? [],
          );
          const covered = (r: AccessRequestContext) =>
            inStages(r) ||
            widened.some(stage =>
              r.resource.startsWith(`${API_ARN}/${stage}/`),
            );
          expect(
            breaking(
              before,
              after,
              ({ request: r, was, is }) => !covered(r) && !was && is,
            ),
          ).toEqual([]);
        },
      ),
      { numRuns: 200 },
    );
  });

  /** Edits someone else might make meanwhile, in the console or in IaC. */
  const otherEdit = fc.constantFrom<
    (
      statements: Array<Record<string, unknown>>,
      others: Array<Record<string, unknown>>,
    ) => void
  >(
    // A new statement about something else.
    statements =>
      statements.push({
        Sid: 'ConsoleEdit',
        ...allowAll,
        Effect: 'Deny',
        Condition: { IpAddress: { 'aws:VpcSourceIp': '192.0.2.0/24' } },
      }),
    // Another endpoint added to a list (of a statement the change left alone, so that the
    // same edit can be made on the policy before the change, for the expected result).
    (statements, others) => {
      for (const s of statements) {
        if (!others.some(o => JSON.stringify(o) === JSON.stringify(s)))
          continue;
        const block = (s.Condition as any)?.StringNotEquals;
        const k = block && Object.keys(block).find(x => /sourcevpce$/i.test(x));
        if (k) {
          const v = block[k];
          block[k] = [...(Array.isArray(v) ? v : [v]), 'vpce-0000000d'];
          return;
        }
      }
    },
    // Nothing.
    () => undefined,
  );

  it('undo takes out exactly what a grant or revoke added, on the policy as it is now', () => {
    fc.assert(
      fc.property(
        policy,
        grant,
        fc.boolean(),
        otherEdit,
        (p, g, isGrant, edit) => {
          const change = (isGrant ? grantVpcAccess : revokeVpcAccess)(
            p ?? undefined,
            g,
            options,
          );
          if (!change.changed) return;
          const statementsIn = (json: string | undefined) => {
            const document = json
              ? JSON.parse(json)
              : { Version: '2012-10-17', Statement: [] };
            document.Statement = Array.isArray(document.Statement)
              ? document.Statement
              : [document.Statement];
            return document;
          };
          const apply = (
            json: string | undefined,
            other: string | undefined,
          ) => {
            const document = statementsIn(json);
            edit(document.Statement, statementsIn(other).Statement);
            return document.Statement.length
              ? JSON.stringify(document)
              : undefined;
          };
          // Nobody else edited: the undo restores the policy as it was.
          const plain = undoPolicyChange(
            change.policyJson,
            p ?? undefined,
            change.policyJson,
          );
          expect(plain.clean).toBe(true);
          const restored = parsed(plain.policyJson ?? null);
          expect(
            breaking(parsed(p), restored, ({ was, is }) => was !== is),
          ).toEqual([]);
          // Someone edited meanwhile: their edit survives the undo.
          const current = apply(change.policyJson, p ?? undefined);
          const undo = undoPolicyChange(
            current,
            p ?? undefined,
            change.policyJson,
          );
          if (!undo.clean) return;
          const expected = parsed(
            apply(p ?? undefined, change.policyJson) ?? null,
          );
          expect(
            breaking(
              expected,
              parsed(undo.policyJson ?? null),
              ({ was, is }) => was !== is,
            ),
          ).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('grantVpcAccess on a large generated policy', () => {
  // Regression: stage scoping enumerated every sample call of this policy one by one and
  // did not finish; the answer must stay what the enumeration would give.
  it('keeps the grant whole when the endpoint could already call stages the policy does not name', () => {
    const apiArn = 'arn:aws:execute-api:eu-west-1:111122223333:a1b2c3d4e5';
    const vpceId = 'vpce-0000000013c6ef362';
    const before = parseResourcePolicy(BENCH_SEED_2_POLICY);
    const change = grantVpcAccess(
      BENCH_SEED_2_POLICY,
      { vpceId },
      { apiArn, stages: ['prod', 'beta', 'dev', 'test'] },
    );
    expect(change.changes).toEqual(
      [3, 4, 5, 7, 7, 11, 14, 15].map(i =>
        before.statements[i].effect === 'Deny'
          ? `Added ${vpceId} to the aws:SourceVpce values that Statement[${i}] "S${i}" (Deny) exempts (it denies every other caller), which lets ${vpceId} in.`
          : `Added ${vpceId} to the aws:SourceVpce values that Statement[${i}] "S${i}" (Allow) lets in.`,
      ),
    );
    expect(change.notes[0]).toBe(
      `VPC endpoint ${vpceId} could already call stages the policy does not name, so the grant is not limited to prod, beta, dev, test: limiting it would take that access away.`,
    );
    // The claim holds: the policy already let the endpoint in on a stage it does not name.
    const earlier = findAllowedCall(before, apiArn, { sourceVpce: vpceId });
    expect(earlier).toBeDefined();
    expect(decision(before, earlier!.request)).toBe('allow');
    expect(earlier!.request.resource).toBe(`${apiArn}/_any_/_any_/_any_`);
    // No stage-scoping Deny was added, and the endpoint may call.
    expect(change.policy.statements.length).toBe(before.statements.length);
    expect(
      findAllowedCall(change.policy, apiArn, { sourceVpce: vpceId }),
    ).toBeDefined();
  });
});
