/**
 * Sample requests for questions about a whole policy ("which VPCs may call?", "may anyone
 * from vpc-X call?"). Each dimension of the request (VPC, endpoint, IP, principal,
 * organization, resource) gets the values the policy names plus one value it does not name
 * ("other"). Values that every clause treats alike are folded into one class, so a list of
 * a hundred endpoints costs two samples, not a hundred.
 *
 * The answers are exact for string keys and principals; for IP ranges they rest on samples
 * (each range's first and last address, and an address outside every range).
 */
import { accountOfPrincipal, invokeArn, toShorthand } from './arn';
import { decide, INVOKE_ACTION } from './evaluate';
import { evaluateClause, parseOperator } from './conditions';
import { entryAccount } from './context';
import { parseIpRange, rangeBounds, ipInRange, parseIpAddress } from './ip';
import {
  AccessDecision,
  AccessRequestContext,
  ConditionClause,
  ResourcePolicy,
} from './types';

/** The condition keys that make up the probe dimensions (lower-case). */
export const KEYS = {
  sourceVpc: 'aws:sourcevpc',
  sourceVpce: 'aws:sourcevpce',
  vpcSourceIp: 'aws:vpcsourceip',
  sourceIp: 'aws:sourceip',
  principalOrgId: 'aws:principalorgid',
  principalAccount: 'aws:principalaccount',
  principalArn: 'aws:principalarn',
} as const;

/** A class of values every clause treats alike, represented by one sample. */
export interface ValueClass {
  sample: string;
  /** The values named in the policy (as written) that fall in this class. */
  members: string[];
  /** True when the class holds values the policy does not name. */
  other: boolean;
}

/** A caller to try: anonymous, a signed caller of an account, or a named identity. */
export interface PrincipalSample {
  principal: string;
  /** The principals named in the policy (as written) this sample stands for. */
  members: string[];
  /** A signed caller of an account the policy does not name. */
  other: boolean;
}

/** A resource (call ARN) to try and the policy pattern or stage it stands for. */
export interface ResourceSample {
  arn: string;
  label: string;
}

/** Where the calls come from: through a VPC endpoint, or over the internet. */
export type Network = 'private' | 'public';

export interface ProbeSpace {
  network: Network;
  resources: ResourceSample[];
  principals: PrincipalSample[];
  orgs: ValueClass[];
  vpcs: ValueClass[];
  vpces: ValueClass[];
  vpcSourceIps: ValueClass[];
  sourceIps: ValueClass[];
}

/** One sample request with the classes it was built from. */
export interface Probe {
  request: AccessRequestContext;
  resource: ResourceSample;
  principal: PrincipalSample;
  org?: ValueClass;
  vpc?: ValueClass;
  vpce?: ValueClass;
  ip?: ValueClass;
}

/** Beyond this many sample requests the enumeration stops (and says so). */
const MAX_PROBES = 200_000;

/** Replaces `*` in resource patterns when a sample call ARN is made from them. */
const WILDCARD_SAMPLE = '_any_';

function clausesOn(policy: ResourcePolicy, key: string): ConditionClause[] {
  return policy.statements.flatMap(s =>
    s.conditions.filter(c => c.key.toLowerCase() === key),
  );
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}

/** A concrete value that matches a StringLike pattern (`vpce-0a*` → `vpce-0a`). */
function sampleOf(pattern: string): string {
  return pattern.replace(/\*/g, '').replace(/\?/g, '0');
}

/** A value of the key's form that the policy does not name. */
function unnamed(prefix: string, named: string[]): string {
  let candidate = `${prefix}unlisted`;
  for (let n = 1; named.includes(candidate); n++) {
    candidate = `${prefix}unlisted${n}`;
  }
  return candidate;
}

/**
 * Groups samples by how every clause on the key treats them. A sample's members are the
 * values the policy names that it was drawn from.
 */
function classify(
  clauses: ConditionClause[],
  samples: Array<{ sample: string; member?: string; other?: boolean }>,
): ValueClass[] {
  const bySignature = new Map<string, ValueClass>();
  for (const { sample, member, other } of samples) {
    const signature = clauses
      .map(c => String(evaluateClause(c, sample)))
      .join();
    let found = bySignature.get(signature);
    if (!found) {
      found = { sample, members: [], other: false };
      bySignature.set(signature, found);
    }
    if (member !== undefined && !found.members.includes(member)) {
      found.members.push(member);
    }
    found.other ||= !!other;
  }
  return [...bySignature.values()];
}

function stringClasses(
  policy: ResourcePolicy,
  key: string,
  otherPrefix: string,
): ValueClass[] {
  const clauses = clausesOn(policy, key);
  const named = unique(clauses.flatMap(c => c.values));
  return classify(clauses, [
    ...named.map(member => ({ sample: sampleOf(member), member })),
    { sample: unnamed(otherPrefix, named), other: true },
  ]);
}

/** Addresses tried, in order, as "an address outside every range the policy names". */
const OUTSIDE_ADDRESSES = [
  '203.0.113.77',
  '198.51.100.77',
  '192.0.2.77',
  '10.255.255.77',
  '2001:db8:ffff::77',
];

function ipClasses(policy: ResourcePolicy, key: string): ValueClass[] {
  const clauses = clausesOn(policy, key);
  const named = unique(
    clauses
      .filter(c => parseOperator(c.operator)?.family === 'ip')
      .flatMap(c => c.values),
  );
  const ranges = named.flatMap(member => {
    const range = parseIpRange(member);
    return range ? [{ member, range }] : [];
  });
  const outside = OUTSIDE_ADDRESSES.find(address => {
    const parsed = parseIpAddress(address)!;
    return !ranges.some(r => ipInRange(parsed, r.range));
  });
  return classify(clauses, [
    ...ranges.flatMap(({ member, range }) =>
      rangeBounds(range).map(sample => ({ sample, member })),
    ),
    ...(outside ? [{ sample: outside, other: true }] : []),
  ]);
}

/**
 * Callers to try: anonymous, each principal the policy names, a signed caller of every
 * account it names (and of the API's own account), and one of an account it does not name.
 */
function principalSamples(
  policy: ResourcePolicy,
  apiAccount: string,
): PrincipalSample[] {
  const samples = new Map<string, PrincipalSample>();
  const add = (principal: string, member?: string, other = false) => {
    const sample = samples.get(principal) ?? { principal, members: [], other };
    if (member !== undefined && !sample.members.includes(member)) {
      sample.members.push(member);
    }
    samples.set(principal, sample);
  };
  add('*');
  const accounts: string[] = [apiAccount];
  for (const statement of policy.statements) {
    for (const entry of statement.principal.entries) {
      if (entry.value === '*') continue;
      const isAws = entry.type === 'AWS';
      // An account entry stands for every signed caller of the account: sample one.
      add((isAws && entryAccount(entry.value)) || entry.value, entry.value);
      const account = isAws ? accountOfPrincipal(entry.value) : undefined;
      if (account) accounts.push(account);
    }
  }
  for (const clause of clausesOn(policy, KEYS.principalAccount)) {
    for (const value of clause.values) {
      add(sampleOf(value), value);
      accounts.push(sampleOf(value));
    }
  }
  for (const clause of clausesOn(policy, KEYS.principalArn)) {
    for (const value of clause.values) add(sampleOf(value), value);
  }
  for (const account of unique(accounts)) add(account);
  let other = '999999999999';
  while (accounts.includes(other)) other = String(Number(other) - 111111111111);
  add(other, undefined, true);
  return [...samples.values()];
}

/** Sample call ARNs: one per resource pattern of the policy that can name this API, per stage, and one more. */
function resourceSamples(
  policy: ResourcePolicy,
  apiArn: string,
  stages: string[],
): ResourceSample[] {
  const samples = new Map<string, ResourceSample>();
  const add = (arn: string, label: string) => {
    if (!samples.has(arn)) samples.set(arn, { arn, label });
  };
  const any = WILDCARD_SAMPLE;
  add(invokeArn(apiArn, any, any, any), 'any stage, method and path');
  for (const stage of stages) {
    add(invokeArn(apiArn, stage, any, any), `stage ${stage}`);
  }
  for (const statement of policy.statements) {
    for (const pattern of statement.resource.patterns) {
      const arn = (
        pattern.startsWith('execute-api:/')
          ? `${apiArn}${pattern.slice('execute-api:'.length)}`
          : pattern
      )
        .replace(/\*/g, any)
        .replace(/\?/g, '0');
      // Patterns of other APIs, or too general to sample (`*`), add nothing new.
      if (arn.startsWith(`${apiArn}/`)) add(arn, toShorthand(pattern, apiArn));
    }
  }
  return [...samples.values()];
}

/** The sample dimensions of a policy for one API. */
export function buildProbeSpace(
  policy: ResourcePolicy,
  options: {
    apiArn: string;
    apiAccount: string;
    network: Network;
    stages?: string[];
  },
): ProbeSpace {
  return {
    network: options.network,
    resources: resourceSamples(policy, options.apiArn, options.stages ?? []),
    principals: principalSamples(policy, options.apiAccount),
    orgs: stringClasses(policy, KEYS.principalOrgId, 'o-'),
    vpcs: stringClasses(policy, KEYS.sourceVpc, 'vpc-'),
    vpces: stringClasses(policy, KEYS.sourceVpce, 'vpce-'),
    vpcSourceIps: ipClasses(policy, KEYS.vpcSourceIp),
    sourceIps: ipClasses(policy, KEYS.sourceIp),
  };
}

/**
 * Visits every sample request of the space with the policy's decision. The visitor returns
 * false to stop. Returns false when the enumeration stopped at MAX_PROBES.
 */
export function forEachProbe(
  policy: ResourcePolicy,
  space: ProbeSpace,
  visit: (probe: Probe, decision: AccessDecision) => boolean | void,
): boolean {
  let count = 0;
  const networkSamples: Array<
    Omit<Probe, 'request' | 'resource' | 'principal' | 'org'>
  > = [];
  if (space.network === 'private') {
    for (const vpc of space.vpcs) {
      for (const vpce of space.vpces) {
        for (const ip of space.vpcSourceIps)
          networkSamples.push({ vpc, vpce, ip });
      }
    }
  } else {
    for (const ip of space.sourceIps) networkSamples.push({ ip });
  }
  for (const resource of space.resources) {
    for (const principal of space.principals) {
      const orgs: Array<ValueClass | undefined> =
        principal.principal === '*' ? [undefined] : [undefined, ...space.orgs];
      for (const org of orgs) {
        for (const network of networkSamples) {
          if (++count > MAX_PROBES) return false;
          const request: AccessRequestContext = {
            resource: resource.arn,
            action: INVOKE_ACTION,
            principal: principal.principal,
            principalOrgId: org?.sample,
            sourceVpc: network.vpc?.sample,
            sourceVpce: network.vpce?.sample,
            ...(space.network === 'private'
              ? { vpcSourceIp: network.ip?.sample }
              : { sourceIp: network.ip?.sample }),
          };
          const probe = { request, resource, principal, org, ...network };
          if (visit(probe, decide(policy, request, false)) === false)
            return true;
        }
      }
    }
  }
  return true;
}
