import fc from 'fast-check';
import { API_ARN } from '../__testUtils__/policies';
import { decide, INVOKE_ACTION } from './evaluate';
import { toResourcePolicy } from './parse';
import {
  buildProbeSpace,
  Network,
  Probe,
  ProbeSpace,
  ValueClass,
} from './probe';
import {
  answerSpace,
  CallerSample,
  CallFilter,
  findLostAccess,
  firstAllowedRequest,
} from './space';
import { AccessRequestContext, ResourcePolicy } from './types';

/**
 * The definition the fast answers must agree with: every sample request of the space, in
 * enumeration order (resource, caller, organization, VPC, endpoint, IP), decided one by one.
 */
function enumerate(
  policy: ResourcePolicy,
  space: ProbeSpace,
): Array<{
  probe: Probe;
  allowedBy: number[];
  deniedBy: number[];
  allowed: boolean;
}> {
  const network: Array<Partial<Record<'vpc' | 'vpce' | 'ip', ValueClass>>> = [];
  if (space.network === 'private') {
    for (const vpc of space.vpcs)
      for (const vpce of space.vpces)
        for (const ip of space.vpcSourceIps) network.push({ vpc, vpce, ip });
  } else {
    for (const ip of space.sourceIps) network.push({ ip });
  }
  const out = [];
  for (const resource of space.resources) {
    for (const principal of space.principals) {
      const orgs =
        principal.principal === '*' ? [undefined] : [undefined, ...space.orgs];
      for (const org of orgs) {
        for (const n of network) {
          const request: AccessRequestContext = {
            resource: resource.arn,
            action: INVOKE_ACTION,
            principal: principal.principal,
            principalOrgId: org?.sample,
            sourceVpc: n.vpc?.sample,
            sourceVpce: n.vpce?.sample,
            ...(space.network === 'private'
              ? { vpcSourceIp: n.ip?.sample }
              : { sourceIp: n.ip?.sample }),
          };
          const decision = decide(policy, request, false);
          out.push({
            probe: { request, resource, principal, org, ...n },
            allowedBy: decision.allowedBy,
            deniedBy: decision.deniedBy,
            allowed: decision.decision === 'allow',
          });
        }
      }
    }
  }
  return out;
}

const VPCS = ['vpc-0000000a', 'vpc-0000000b', 'vpc-0a*'];
const VPCES = ['vpce-0000000a', 'vpce-0000000b', 'vpce-0*'];
const RANGES = ['10.0.0.0/16', '10.0.1.0/24', '192.0.2.0/24'];
const ORGS = ['o-aaaaaaaaaa', 'o-bbbbbbbbbb', 'o-a*'];
const ACCOUNTS = ['111122223333', '444455556666'];

const some = <T>(items: T[]) =>
  fc
    .subarray(items, { minLength: 1 })
    .chain(list =>
      fc.constantFrom<T | T[]>(list, ...(list.length === 1 ? [list[0]] : [])),
    );
const qualified = (operators: string[]) =>
  fc
    .tuple(
      fc.constantFrom('', 'ForAnyValue:', 'ForAllValues:'),
      fc.constantFrom(...operators),
      fc.boolean(),
    )
    .map(([set, op, ifExists]) => `${set}${op}${ifExists ? 'IfExists' : ''}`);
const clause = fc.oneof(
  fc.tuple(
    qualified([
      'StringEquals',
      'StringNotEquals',
      'StringLike',
      'StringNotLike',
    ]),
    fc.constantFrom('aws:SourceVpc', 'aws:sourcevpc'),
    some(VPCS),
  ),
  fc.tuple(
    qualified([
      'StringEquals',
      'StringNotEquals',
      'StringLike',
      'StringEqualsIgnoreCase',
    ]),
    fc.constant('aws:SourceVpce'),
    some(VPCES),
  ),
  fc.tuple(
    qualified(['IpAddress', 'NotIpAddress']),
    fc.constantFrom('aws:VpcSourceIp', 'aws:SourceIp'),
    some(RANGES),
  ),
  fc.tuple(
    qualified(['StringLike', 'StringNotEquals']),
    fc.constant('aws:PrincipalOrgID'),
    some(ORGS),
  ),
  fc.tuple(
    qualified(['StringEquals']),
    fc.constant('aws:PrincipalAccount'),
    some(ACCOUNTS),
  ),
  fc.tuple(
    fc.constantFrom('Null'),
    fc.constantFrom('aws:SourceVpce', 'aws:PrincipalOrgID'),
    fc.constantFrom('true', 'false'),
  ),
  fc.tuple(
    fc.constant('ArnLike'),
    fc.constant('aws:PrincipalArn'),
    fc.constant('arn:aws:iam::111122223333:role/*'),
  ),
  // An operator the evaluator does not know, and a key it does not model.
  fc.tuple(
    fc.constant('NumericLessThan'),
    fc.constant('aws:EpochTime'),
    fc.constant('1'),
  ),
  fc.tuple(
    fc.constant('StringEquals'),
    fc.constant('aws:UserAgent'),
    fc.constant('curl'),
  ),
);
const condition = fc.array(clause, { maxLength: 3 }).map(clauses => {
  const out: Record<string, Record<string, unknown>> = {};
  for (const [op, key, value] of clauses) (out[op] ??= {})[key] = value;
  return out;
});
const principal = fc.constantFrom<unknown>(
  '*',
  { AWS: '111122223333' },
  { AWS: ['arn:aws:iam::111122223333:role/app', '444455556666'] },
  { AWS: 'arn:aws:iam::444455556666:root' },
);
const resource = fc.constantFrom(
  'execute-api:/*',
  `${API_ARN}/*`,
  'execute-api:/prod/*',
  'execute-api:/test/GET/*',
  'arn:aws:execute-api:us-east-1:*:other/*',
);
const statement = fc
  .record({
    Effect: fc.constantFrom('Allow', 'Deny'),
    negatedPrincipal: fc.boolean(),
    principal,
    Action: fc.constantFrom(
      'execute-api:Invoke',
      'execute-api:*',
      'execute-api:ManageConnections',
    ),
    negatedResource: fc.boolean(),
    resources: fc.subarray(
      [
        'execute-api:/*',
        `${API_ARN}/*`,
        'execute-api:/prod/*',
        'execute-api:/test/GET/*',
      ],
      { minLength: 1 },
    ),
    resource,
    Condition: condition,
  })
  .map(s => ({
    Effect: s.Effect,
    // IAM takes NotPrincipal with Deny only.
    ...(s.negatedPrincipal && s.Effect === 'Deny' && s.principal !== '*'
      ? { NotPrincipal: s.principal }
      : { Principal: s.principal }),
    Action: s.Action,
    ...(s.negatedResource
      ? { NotResource: s.resources }
      : { Resource: s.resource }),
    ...(Object.keys(s.Condition).length ? { Condition: s.Condition } : {}),
  }));
const policies = fc
  .array(statement, { minLength: 1, maxLength: 6 })
  .map(Statement =>
    toResourcePolicy(JSON.stringify({ Version: '2012-10-17', Statement })),
  );
const networks = fc.constantFrom<Network>('private', 'public');

const names = (classes: Array<{ sample: string }>) =>
  classes.map(c => c.sample).sort();
const callerName = (c: CallerSample) =>
  `${c.principal.principal}|${c.org?.sample ?? '-'}`;

describe('answerSpace and firstAllowedRequest', () => {
  it('agree with deciding every sample request one by one', () => {
    fc.assert(
      fc.property(
        policies,
        networks,
        fc.subarray(['prod', 'test']),
        (policy, network, stages) => {
          const space = buildProbeSpace(policy, {
            apiArn: API_ARN,
            apiAccount: '123456789012',
            network,
            stages,
          });
          const all = enumerate(policy, space);
          const answers = answerSpace(policy, space);
          expect(answers.complete).toBe(true);

          answers.resources.forEach(access => {
            const allowed = all.filter(
              p => p.allowed && p.probe.resource === access.resource,
            );
            const classes = (key: 'vpc' | 'vpce' | 'ip') =>
              names([
                ...new Set(
                  allowed.flatMap(p => (p.probe[key] ? [p.probe[key]!] : [])),
                ),
              ]);
            expect(access.callers.map(callerName).sort()).toEqual(
              [...new Set(allowed.map(p => callerName(p.probe)))].sort(),
            );
            expect(names(access.vpcs)).toEqual(classes('vpc'));
            expect(names(access.vpces)).toEqual(classes('vpce'));
            expect(names(access.ips)).toEqual(classes('ip'));
            expect(access.anonymousFromAnywhere).toBe(
              allowed.some(
                p =>
                  p.probe.principal.principal === '*' &&
                  [p.probe.vpc, p.probe.vpce, p.probe.ip].every(
                    c => c === undefined || c.other,
                  ),
              ),
            );
          });
          policy.statements.forEach((_, i) => {
            const applying = all.filter(
              p => p.allowedBy.includes(i) || p.deniedBy.includes(i),
            );
            expect(answers.applied[i]).toBe(applying.length > 0);
            expect(answers.effective[i]).toBe(
              all.some(p => p.allowed && p.allowedBy.includes(i)),
            );
            expect(answers.overriddenBy[i]).toEqual(
              [
                ...new Set(
                  all
                    .filter(p => p.allowedBy.includes(i))
                    .flatMap(p => p.deniedBy),
                ),
              ].sort((a, b) => a - b),
            );
          });

          const first = all.find(p => p.allowed);
          expect(firstAllowedRequest(policy, space)?.request).toEqual(
            first?.probe.request,
          );
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe('findLostAccess', () => {
  it('agrees with deciding every call of the filter on both policies one by one', () => {
    fc.assert(
      fc.property(
        policies,
        policies,
        fc.constantFrom<CallFilter>(
          { sourceVpce: 'vpce-0000000a' },
          { sourceVpce: 'vpce-0000000c' },
          { sourceVpc: 'vpc-0000000b' },
        ),
        fc.subarray(['prod', 'test']),
        (before, after, filter, stages) => {
          const both: ResourcePolicy = {
            document: after.document,
            statements: [...before.statements, ...after.statements],
          };
          const space = buildProbeSpace(both, {
            apiArn: API_ARN,
            apiAccount: '123456789012',
            network: 'private',
            stages,
          });
          const fixed = (value: string) => [
            { sample: value, members: [value], other: false },
          ];
          if (filter.sourceVpce) space.vpces = fixed(filter.sourceVpce);
          if (filter.sourceVpc) space.vpcs = fixed(filter.sourceVpc);
          const was = enumerate(before, space);
          const is = enumerate(after, space);
          const expected = [
            ...new Set(
              was
                .filter((p, i) => p.allowed && !is[i].allowed)
                .map(p => p.probe.resource.arn),
            ),
          ];
          const found = findLostAccess(before, after, API_ARN, filter, stages);
          expect(found.complete).toBe(true);
          expect(found.resources.map(r => r.arn)).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });
});
