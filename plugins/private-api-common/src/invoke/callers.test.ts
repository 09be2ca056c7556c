import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
// The benchmark's generator of worst-case policies and of a Region's endpoints.
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import {
  generateEndpoints,
  generatePolicy,
} from '../../../../bench/policy/generate';
import { API_ARN } from '../__testUtils__/policies';
import { referenceAdmission } from '../__testUtils__/referenceCallers';
import { DomainRecord } from '../inventory/types';
import { evaluateAccess } from '../policy/evaluate';
import {
  admits,
  CallerAdmission,
  CallerEndpointIndex,
  domainAdmission,
  domainExecuteApiArn,
  policyCallers,
  policyCallersIn,
} from './callers';

const VPCS = ['vpc-0aaa', 'vpc-0bbb', 'vpc-0ccc'];
const VPCES = ['vpce-0a11', 'vpce-0a22', 'vpce-0b33', 'vpce-0c44'];
const ACCOUNTS = ['123456789012', '111122223333', '444455556666'];
/**
 * What conditions name: the ids, the same ids in another case (equal for the IgnoreCase
 * operators only) and patterns (StringLike), which the index cannot look up by value.
 */
const VPC_VALUES = [...VPCS, 'VPC-0AAA', 'vpc-0a*'];
const VPCE_VALUES = [...VPCES, 'VPCE-0A22', 'vpce-0a*', 'vpce-0?33', 'vpce-*'];
/** A signed caller of an account no policy names. */
const STRANGER = '999999999999';

const allow = {
  Effect: 'Allow',
  Principal: '*',
  Action: 'execute-api:Invoke',
  Resource: 'execute-api:/*',
};

/** The concrete caller a principal label of the index stands for. */
function principalOf(label: string): string {
  if (label === 'signed callers of any account') return STRANGER;
  const account = /^signed callers of account (\d{12})$/.exec(label);
  return account ? account[1] : label.split(/, | in organization /)[0];
}

const RESOURCES = ['prod', 'test', 'other'].map(
  stage => `${API_ARN}/${stage}/GET/items`,
);
const SOURCE_IPS = ['10.0.0.5', '203.0.113.9'];

function decisionFor(
  policy: string,
  endpoint: { vpcEndpointId: string; vpcId: string },
  principal: string,
) {
  return RESOURCES.some(resource =>
    SOURCE_IPS.some(
      vpcSourceIp =>
        evaluateAccess(policy, {
          resource,
          principal,
          sourceVpc: endpoint.vpcId,
          sourceVpce: endpoint.vpcEndpointId,
          vpcSourceIp,
        }).decision === 'allow',
    ),
  );
}

/**
 * Where the compiled answers differ from deciding each sample call (the enumeration kept
 * for tests): the endpoint, or `unnamed`, with both answers. Empty when they agree.
 */
function differencesFromReference(
  policy: string,
  estate: Array<{ vpcEndpointId: string; vpcId: string }>,
) {
  const callers = policyCallers(policy, API_ARN, estate);
  const answers = [
    {
      endpoint: 'unnamed',
      compiled: callers.unnamed,
      reference: referenceAdmission(policy, API_ARN, 'unnamed'),
    },
    ...estate.map(e => ({
      endpoint: e.vpcEndpointId,
      compiled: callers.byEndpoint.get(e.vpcEndpointId),
      reference: referenceAdmission(policy, API_ARN, e),
    })),
  ];
  return answers.filter(a => !isDeepStrictEqual(a.compiled, a.reference));
}

describe('policyCallers', () => {
  const key = fc.constantFrom(
    'aws:SourceVpc',
    'aws:SourceVpce',
    'aws:sourcevpce',
  );
  const condition = (operators: string[]) =>
    fc.tuple(fc.constantFrom(...operators), key).chain(([operator, k]) =>
      fc
        .subarray(
          k.toLowerCase() === 'aws:sourcevpc' ? VPC_VALUES : VPCE_VALUES,
          {
            minLength: 1,
          },
        )
        .map(values => ({ [operator]: { [k]: values } })),
    );
  const resource = fc.constantFrom(
    'execute-api:/*',
    `${API_ARN}/*`,
    'execute-api:/prod/*',
  );
  const base = (Effect: string) => ({
    Effect: fc.constant(Effect),
    Principal: fc.oneof(
      fc.constant<unknown>('*'),
      fc.constantFrom(...ACCOUNTS).map(a => ({ AWS: a })),
      fc
        .constantFrom(...ACCOUNTS)
        .map(a => ({ AWS: `arn:aws:iam::${a}:root` })),
    ),
    Action: fc.constant('execute-api:Invoke'),
    Resource: resource,
  });
  const statement = fc.oneof(
    resource.map(Resource => ({ ...allow, Resource })),
    fc.record({
      ...base('Allow'),
      Condition: condition([
        'StringEquals',
        'StringEqualsIfExists',
        'ForAnyValue:StringEquals',
        'StringLike',
        'StringEqualsIgnoreCase',
      ]),
    }),
    fc.record({
      ...base('Deny'),
      Principal: fc.constant('*'),
      Condition: condition([
        'StringNotEquals',
        'StringNotEqualsIfExists',
        'StringNotLike',
        'StringEquals',
        'StringNotEqualsIgnoreCase',
      ]),
    }),
    fc.record({ ...base('Allow'), Condition: condition(['StringNotEquals']) }),
    fc.constant({
      ...allow,
      Effect: 'Deny',
      Condition: { NotIpAddress: { 'aws:VpcSourceIp': '10.0.0.0/16' } },
    }),
    fc.constant({ ...allow, Effect: 'Deny', Resource: 'execute-api:/test/*' }),
    fc.constantFrom(...ACCOUNTS).map(a => ({
      ...allow,
      Condition: { StringEquals: { 'aws:PrincipalAccount': a } },
    })),
  );
  const policy = fc.option(
    fc
      .array(statement, { minLength: 1, maxLength: 5 })
      .map(Statement => JSON.stringify({ Version: '2012-10-17', Statement })),
    { freq: 8 },
  );
  const endpoints = fc.uniqueArray(
    fc.record({
      vpcEndpointId: fc.constantFrom(
        ...VPCES,
        'vpce-0fresh',
        'vpce-0a99',
        'VPCE-0A11',
      ),
      vpcId: fc.constantFrom(...VPCS, 'vpc-0fresh'),
    }),
    { minLength: 1, maxLength: 6, selector: e => e.vpcEndpointId },
  );

  it('lists an endpoint exactly when evaluateAccess lets some caller the index names through it', () => {
    fc.assert(
      fc.property(policy, endpoints, (p, estate) => {
        const callers = policyCallers(p ?? undefined, API_ARN, estate);
        for (const e of estate) {
          const admission = callers.byEndpoint.get(e.vpcEndpointId)!;
          const anyone = [
            '*',
            ...ACCOUNTS,
            STRANGER,
            ...ACCOUNTS.map(a => `arn:aws:iam::${a}:role/caller`),
          ];
          const somebody = p
            ? anyone.some(who => decisionFor(p, e, who))
            : false;
          const anonymous = p ? decisionFor(p, e, '*') : false;
          expect(admits(admission)).toBe(somebody);
          // Unsigned calls get in exactly when the index says `allowed`...
          expect(admission.verdict === 'allowed').toBe(anonymous);
          // ...and every principal a `signed-only` answer names does get in.
          expect(
            admission.verdict !== 'signed-only' ||
              admission.principals.length > 0,
          ).toBe(true);
          expect(
            admission.principals.filter(
              label => !decisionFor(p!, e, principalOf(label)),
            ),
          ).toEqual([]);
        }
      }),
      { numRuns: 400 },
    );
  });

  /** Statements on every dimension the answers read, unknown operators included. */
  const anyStatement = fc
    .record(
      {
        Effect: fc.constantFrom('Allow', 'Deny'),
        Principal: fc.oneof(
          fc.constant<unknown>('*'),
          fc.constantFrom(...ACCOUNTS).map(a => ({ AWS: a })),
          fc
            .subarray(ACCOUNTS, { minLength: 1 })
            .map(a => ({ AWS: a.map(x => `arn:aws:iam::${x}:role/caller`) })),
        ),
        NotPrincipal: fc.constantFrom(...ACCOUNTS).map(a => ({ AWS: a })),
        Action: fc.constantFrom('execute-api:Invoke', 'execute-api:*', 's3:*'),
        Resource: resource,
        NotResource: fc.constantFrom(
          'execute-api:/test/*',
          `${API_ARN}/prod/*`,
        ),
        Condition: fc
          .array(
            fc.oneof(
              condition([
                'StringEquals',
                'StringNotEquals',
                'StringLike',
                'StringNotLike',
                'StringEqualsIfExists',
                'StringNotEqualsIfExists',
                'ForAnyValue:StringLike',
                'StringEqualsIgnoreCase',
              ]),
              fc
                .tuple(key, fc.constantFrom('true', 'false'))
                .map(([k, v]) => ({ Null: { [k]: v } })),
              fc
                .tuple(
                  fc.constantFrom(
                    'IpAddress',
                    'NotIpAddress',
                    'NotIpAddressIfExists',
                  ),
                  fc.subarray(
                    ['10.0.0.0/16', '10.0.0.0/24', '192.168.1.0/24'],
                    {
                      minLength: 1,
                    },
                  ),
                )
                .map(([op, v]) => ({ [op]: { 'aws:VpcSourceIp': v } })),
              fc
                .tuple(
                  fc.constantFrom(
                    'StringEquals',
                    'StringNotEquals',
                    'ForAnyValue:StringLike',
                  ),
                  fc.subarray(['o-aaaa', 'o-bbbb', 'o-a*'], { minLength: 1 }),
                )
                .map(([op, v]) => ({ [op]: { 'aws:PrincipalOrgID': v } })),
              fc
                .subarray(ACCOUNTS, { minLength: 1 })
                .map(v => ({ StringEquals: { 'aws:PrincipalAccount': v } })),
              // Operators this evaluator does not know.
              fc.constant({
                DateGreaterThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' },
              }),
              fc.constant({
                StringEqualsAnyCase: { 'aws:SourceVpce': 'vpce-0a11' },
              }),
            ),
            { maxLength: 3 },
          )
          // One operator block per operator, as JSON has it.
          .map(blocks => {
            const merged: Record<string, Record<string, unknown>> = {};
            for (const block of blocks)
              for (const [op, keys] of Object.entries(block))
                merged[op] = { ...merged[op], ...(keys as object) };
            return merged;
          }),
      },
      { requiredKeys: ['Effect', 'Action'] },
    )
    .map(s => {
      // A statement has one of Principal / NotPrincipal and one of Resource / NotResource.
      const out: Record<string, unknown> = { ...s };
      if (out.NotPrincipal && (out.Effect === 'Allow' || out.Principal))
        delete out.NotPrincipal;
      if (!out.Principal && !out.NotPrincipal) out.Principal = '*';
      if (out.NotResource && out.Resource) delete out.NotResource;
      if (!out.Resource && !out.NotResource) out.Resource = 'execute-api:/*';
      return out;
    });

  it('answers for every endpoint what deciding each of its sample calls answers', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(statement, anyStatement), {
          minLength: 1,
          maxLength: 6,
        }),
        endpoints,
        (statements, estate) => {
          const p = JSON.stringify({
            Version: '2012-10-17',
            Statement: statements,
          });
          expect(differencesFromReference(p, estate)).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("answers as deciding each sample call does on the benchmark's generated policies", () => {
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const document = generatePolicy(seed * 7919, 1_500 + seed * 250);
      const p = JSON.stringify(document);
      const estate = generateEndpoints(document, 24, seed);
      expect(differencesFromReference(p, estate)).toEqual([]);
    }
  });

  it('answers for endpoints the policy does not name like for any such endpoint', () => {
    fc.assert(
      fc.property(policy, p => {
        const fresh = { vpcEndpointId: 'vpce-0new', vpcId: 'vpc-0new' };
        const callers = policyCallers(p ?? undefined, API_ARN, [fresh]);
        expect(callers.unnamed).toEqual(callers.byEndpoint.get('vpce-0new'));
      }),
      { numRuns: 200 },
    );
  });

  it('names the statement that decided and who may call', () => {
    const text = JSON.stringify({
      Statement: [
        { ...allow, Principal: { AWS: '111122223333' } },
        {
          ...allow,
          Sid: 'OnlyShared',
          Effect: 'Deny',
          Condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-0a11' } },
        },
      ],
    });
    const callers = policyCallers(text, API_ARN, [
      { vpcEndpointId: 'vpce-0a11', vpcId: 'vpc-0aaa' },
      { vpcEndpointId: 'vpce-0b33', vpcId: 'vpc-0bbb' },
    ]);
    expect(callers.byEndpoint.get('vpce-0a11')).toEqual<CallerAdmission>({
      verdict: 'signed-only',
      principals: ['111122223333'],
      reason: 'Allowed by Statement[0] (Allow)',
    });
    expect(callers.byEndpoint.get('vpce-0b33')).toEqual<CallerAdmission>({
      verdict: 'denied',
      principals: [],
      reason: 'Denied by Statement[1] "OnlyShared" (Deny)',
    });
    expect(callers.unnamed.verdict).toBe('denied');
  });

  it('evaluates only the endpoints a policy names, unless it names them by pattern', () => {
    const estate = Array.from({ length: 500 }, (_, i) => ({
      vpcEndpointId: `vpce-0${i.toString(16).padStart(4, '0')}`,
      vpcId: `vpc-0${(i % 50).toString(16).padStart(4, '0')}`,
    }));
    const index = new CallerEndpointIndex(estate);
    const only = (values: string[], operator = 'StringNotEquals') =>
      JSON.stringify({
        Statement: [
          allow,
          {
            ...allow,
            Effect: 'Deny',
            Condition: { [operator]: { 'aws:SourceVpce': values } },
          },
        ],
      });
    const listed = policyCallersIn(
      only(['vpce-00007', 'VPCE-00009']),
      API_ARN,
      index,
    );
    expect(listed.unnamed.verdict).toBe('denied');
    // Case-sensitive: the upper-case value names no endpoint.
    expect(listed.named.map(n => n.endpoint.vpcEndpointId)).toEqual([
      'vpce-00007',
    ]);
    const ignoringCase = policyCallersIn(
      only(['vpce-00007', 'VPCE-00009'], 'StringNotEqualsIgnoreCase'),
      API_ARN,
      index,
    );
    expect(ignoringCase.named.map(n => n.endpoint.vpcEndpointId)).toEqual([
      'vpce-00007',
      'vpce-00009',
    ]);
    const pattern = policyCallersIn(
      only(['vpce-0001*'], 'StringNotLike'),
      API_ARN,
      index,
    );
    expect(pattern.named.map(n => n.endpoint.vpcEndpointId)).toEqual(
      estate.map(e => e.vpcEndpointId).filter(id => id.startsWith('vpce-0001')),
    );
  });

  it('says why a private API without a policy, or with an unreadable one, admits nobody', () => {
    const none = policyCallers(undefined, API_ARN, [
      { vpcEndpointId: 'vpce-0a11', vpcId: 'vpc-0aaa' },
    ]);
    expect(none.byEndpoint.get('vpce-0a11')?.verdict).toBe('denied');
    expect(none.unnamed.reason).toMatch(/no resource policy/);
    const unreadable = policyCallers('{not json', API_ARN, []);
    expect(unreadable.unnamed.verdict).toBe('unknown');
  });
});

describe('domainAdmission', () => {
  const domain: DomainRecord = {
    domainName: 'payments.internal.example.com',
    domainNameId: 'a1b2c3',
    domainNameArn:
      'arn:aws:apigateway:us-east-1:123456789012:/domainnames/payments.internal.example.com+a1b2c3',
    endpointType: 'PRIVATE',
    accountId: '123456789012',
    region: 'us-east-1',
    accessAssociations: [{ vpcEndpointId: 'vpce-0a11' }],
    mappings: [{ basePath: 'v1', apiId: 'abc123', stage: 'prod' }],
  };
  const arn = domainExecuteApiArn(domain);

  it('builds the execute-api ARN a domain policy names', () => {
    expect(arn).toBe(
      'arn:aws:execute-api:us-east-1:123456789012:/domainnames/payments.internal.example.com+a1b2c3',
    );
  });

  it('needs an association and an allow for the execute-api ARN', () => {
    const policy = JSON.stringify({
      Statement: [{ ...allow, Resource: arn }],
    });
    const endpoint = { vpcEndpointId: 'vpce-0a11', vpcId: 'vpc-0aaa' };
    expect(domainAdmission({ ...domain, policy }, endpoint).verdict).toBe(
      'allowed',
    );
    expect(
      domainAdmission(
        { ...domain, policy },
        {
          vpcEndpointId: 'vpce-0b33',
          vpcId: 'vpc-0bbb',
        },
      ),
    ).toMatchObject({
      verdict: 'denied',
      reason: expect.stringMatching(/no domain name access association/),
    });
    const apigatewayArn = JSON.stringify({
      Statement: [{ ...allow, Resource: domain.domainNameArn }],
    });
    expect(
      domainAdmission({ ...domain, policy: apigatewayArn }, endpoint).verdict,
    ).toBe('denied');
  });
});
