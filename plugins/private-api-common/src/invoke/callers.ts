/**
 * Which VPC endpoints of the estate a resource policy lets in: the answer the reverse index
 * ("what can this VPC call?") stores for every private API and private custom domain.
 *
 * The policy is compiled once into statement masks (see `CompiledCallers`); endpoints the
 * policy treats alike (the same statements hold for their VPC and id) share one answer, and
 * endpoints it names nowhere are not looked at unless it names endpoints by pattern.
 */
import { PolicyParseError } from '../errors';
import { ApiType, DomainRecord, VpcEndpointRecord } from '../inventory/types';
import { parseApiArn } from '../policy/arn';
import { evaluateClause, parseOperator } from '../policy/conditions';
import { hasWildcard } from '../policy/wildcard';
import { decide, statementLabel } from '../policy/evaluate';
import { toResourcePolicy } from '../policy/parse';
import { compile } from '../policy/space';
import {
  buildProbeSpace,
  KEYS,
  PrincipalSample,
  ProbeSpace,
  ValueClass,
} from '../policy/probe';
import {
  AccessDecision,
  ConditionClause,
  ResourcePolicy,
} from '../policy/types';
import { domainUrl, executeApiHost, route53AliasHost, stageUrl } from './urls';

/** Why a verdict is unknown: a condition operator the evaluator does not know decides it. */
export const UNKNOWN_OPERATOR_REASON =
  'The policy uses a condition operator this evaluator does not know: whether it lets the endpoint in is unknown.';

/**
 * - `allowed`: unsigned calls through the endpoint pass;
 * - `signed-only`: only the signed callers in `principals` pass;
 * - `denied`: no call through the endpoint passes;
 * - `unknown`: the policy cannot be read, or uses an operator the evaluator does not know.
 */
export type CallerVerdict = 'allowed' | 'signed-only' | 'denied' | 'unknown';

/** The policy's answer for calls through one endpoint (or a class of endpoints). */
export interface CallerAdmission {
  verdict: CallerVerdict;
  /** signed-only: who may call, as the policy names them (accounts, roles, organizations). */
  principals: string[];
  /** The statements that decided, e.g. `Allowed by Statement[0] (Allow)`. */
  reason: string;
}

/** True when some call through the endpoint can pass. */
export function admits(admission: { verdict: CallerVerdict }): boolean {
  return admission.verdict === 'allowed' || admission.verdict === 'signed-only';
}

/** The endpoint fields the verdicts depend on. */
export type CallerEndpoint = Pick<VpcEndpointRecord, 'vpcEndpointId' | 'vpcId'>;

/** Every endpoint's answer, and the answer for endpoints the policy does not name. */
export interface PolicyCallers {
  /** The answer for an endpoint whose id and VPC the policy names nowhere. */
  unnamed: CallerAdmission;
  /** The answer for each endpoint given, by endpoint id. */
  byEndpoint: Map<string, CallerAdmission>;
}

const NO_POLICY: CallerAdmission = {
  verdict: 'denied',
  principals: [],
  reason:
    'The API has no resource policy, and a private API without one rejects every call.',
};

function labels(policy: ResourcePolicy, indexes: number[]): string {
  return indexes.map(i => statementLabel(policy.statements[i])).join(', ');
}

function reasonOf(policy: ResourcePolicy, decision: AccessDecision): string {
  if (decision.decision === 'allow')
    return `Allowed by ${labels(policy, decision.allowedBy)}`;
  if (decision.decision === 'explicit-deny')
    return `Denied by ${labels(policy, decision.deniedBy)}`;
  return 'Denied: no statement allows it (implicit deny)';
}

function principalLabel(sample: PrincipalSample, org?: ValueClass): string {
  let who = `signed callers of account ${sample.principal}`;
  if (sample.members.length) who = sample.members.join(', ');
  else if (sample.other) who = 'signed callers of any account';
  // Only an organization the policy names narrows who may call.
  if (org?.members.length) who += ` in organization ${org.members.join(', ')}`;
  return who;
}

/** The positions of the bits set in a statement mask. */
function positions(mask: bigint): number[] {
  const found: number[] = [];
  for (let i = 0, rest = mask; rest !== 0n; i++, rest >>= 1n) {
    if (rest & 1n) found.push(i);
  }
  return found;
}

/**
 * A policy compiled for the verdicts of many endpoints. Every probe of the space (resource,
 * caller, VPC, endpoint, IP) comes down to the set of statements that apply to it, a bit
 * mask: the AND of its classes' masks (see `compile`). An endpoint fixes the VPC and
 * endpoint classes, i.e. one mask `network`; what remains for it is the grid of resources,
 * callers and IP classes. That grid does not depend on the endpoint, so it is folded once
 * per policy: each (resource, caller) pair to its distinct mask, each such mask to its
 * distinct masks per IP class, with the first IP class of each. An endpoint then costs a
 * few hundred AND operations instead of a `decide` of every probe, and endpoints with equal
 * `network` masks share one answer. The answers are those of deciding every probe in
 * enumeration order (resource, caller, IP): the same verdicts, principals and reasons.
 */
class CompiledCallers {
  private readonly allow: bigint;
  private readonly deny: bigint;
  private readonly unevaluated: bigint;
  /**
   * Per caller, in the space's order: the distinct masks of its (resource, caller) pairs that
   * can matter (some Allow or unevaluated statement in them), by id, each with the first
   * resource it comes with. The first allowed one is the caller's first allowed probe.
   */
  private readonly byCaller: Array<{
    caller: number;
    pairs: Array<{ resource: number; id: number }>;
  }> = [];
  private readonly callerCount: number;
  /** Per distinct pair mask: its distinct masks with each IP class, first IP class first. */
  private readonly withIps: bigint[][] = [];
  private readonly labels: string[];
  /** The mask of the first probe (first resource, unsigned, first IP class) before the network. */
  private readonly firstProbe: bigint;
  private readonly keyMasks = new Map<string, bigint>();
  private readonly byNetwork = new Map<bigint, CallerAdmission>();
  private readonly reasons = new Map<bigint, string>();
  /** The clauses on the VPC and on the endpoint key, per statement position. */
  private readonly keyClauses: Record<'vpc' | 'vpce', ConditionClause[][]>;

  constructor(
    private readonly policy: ResourcePolicy,
    readonly space: ProbeSpace,
  ) {
    const compiled = compile(policy, space, true);
    this.allow = compiled.allow;
    this.deny = compiled.deny;
    this.unevaluated = compiled.unevaluated;
    const ips = compiled.network.find(d => d.name === 'ip')!.masks;
    const callers = compiled.callers;
    this.labels = callers.map(c =>
      c.principal.principal === '*' ? '' : principalLabel(c.principal, c.org),
    );
    const matters = this.allow | this.unevaluated;
    const ids = new Map<bigint, number>();
    const idOf = (pair: bigint) => {
      let id = ids.get(pair);
      if (id === undefined) {
        id = this.withIps.length;
        ids.set(pair, id);
        const seen = new Set<bigint>();
        this.withIps.push(
          ips.flatMap(ip => {
            const mask = pair & ip;
            if ((mask & matters) === 0n || seen.has(mask)) return [];
            seen.add(mask);
            return [mask];
          }),
        );
      }
      return id;
    };
    const starts = compiled.resources.map(r => compiled.base & r);
    this.callerCount = callers.length;
    compiled.callerMasks.forEach((callerMask, caller) => {
      const pairs: Array<{ resource: number; id: number }> = [];
      const seen = new Set<number>();
      starts.forEach((start, resource) => {
        const pair = start & callerMask;
        if ((pair & matters) === 0n) return;
        const id = idOf(pair);
        if (!seen.has(id)) {
          seen.add(id);
          pairs.push({ resource, id });
        }
      });
      if (pairs.length) this.byCaller.push({ caller, pairs });
    });
    this.firstProbe =
      compiled.base &
      compiled.resources[0] &
      compiled.callerMasks[0] &
      (ips[0] ?? 0n);
    this.keyClauses = { vpc: [], vpce: [] };
    for (const statement of policy.statements) {
      const on = (key: string) =>
        statement.conditions.filter(c => c.key.toLowerCase() === key);
      this.keyClauses.vpc.push(on(KEYS.sourceVpc));
      this.keyClauses.vpce.push(on(KEYS.sourceVpce));
    }
  }

  /** The statements whose clauses on the VPC (or endpoint) key none fails for the value. */
  private keyMask(dimension: 'vpc' | 'vpce', value: string): bigint {
    const cacheKey = `${dimension}:${value}`;
    let mask = this.keyMasks.get(cacheKey);
    if (mask === undefined) {
      mask = 0n;
      this.keyClauses[dimension].forEach((clauses, position) => {
        if (clauses.every(c => evaluateClause(c, value) !== false))
          mask! |= 1n << BigInt(position);
      });
      this.keyMasks.set(cacheKey, mask);
    }
    return mask;
  }

  /** The answer for calls from the VPC through the endpoint. */
  answer(vpcId: string, vpceId: string): CallerAdmission {
    const network = this.keyMask('vpc', vpcId) & this.keyMask('vpce', vpceId);
    let found = this.byNetwork.get(network);
    if (!found) {
      found = this.admission(network);
      this.byNetwork.set(network, found);
    }
    return found;
  }

  private reason(mask: bigint): string {
    let reason = this.reasons.get(mask);
    if (reason === undefined) {
      const deniedBy = mask & this.deny;
      const allowedBy = mask & this.allow;
      const { policy } = this;
      if (deniedBy) reason = `Denied by ${labels(policy, positions(deniedBy))}`;
      else if (allowedBy)
        reason = `Allowed by ${labels(policy, positions(allowedBy))}`;
      else reason = 'Denied: no statement allows it (implicit deny)';
      this.reasons.set(mask, reason);
    }
    return reason;
  }

  private admission(network: bigint): CallerAdmission {
    const { allow, deny } = this;
    // Per distinct pair mask: the mask of its first allowed probe with this network, 0n for
    // none, undefined until asked.
    const allowed: Array<bigint | undefined> = [];
    const firstAllowed = (id: number): bigint => {
      if (id < 0) return 0n;
      let mask = allowed[id];
      if (mask === undefined) {
        mask = 0n;
        for (const withIp of this.withIps[id]) {
          const m = withIp & network;
          if ((m & allow) !== 0n && (m & deny) === 0n) {
            mask = m;
            break;
          }
        }
        allowed[id] = mask;
      }
      return mask;
    };
    /** The caller's first allowed probe: its position in enumeration order and mask. */
    const firstOf = (entry: CompiledCallers['byCaller'][number]) => {
      for (const { resource, id } of entry.pairs) {
        const mask = firstAllowed(id);
        if (mask) {
          return { at: resource * this.callerCount + entry.caller, mask };
        }
      }
      return undefined;
    };
    // The unsigned caller (the first of the space) first: an allowed unsigned call settles it.
    const [anonymous] = this.byCaller;
    if (anonymous?.caller === 0) {
      const first = firstOf(anonymous);
      if (first) {
        return {
          verdict: 'allowed',
          principals: [],
          reason: this.reason(first.mask),
        };
      }
    }
    // Each label with the probe that names it first in enumeration order (resource-major),
    // in that order: as deciding every probe in turn would list them.
    const byLabel = new Map<string, { at: number; mask: bigint }>();
    for (const entry of this.byCaller) {
      if (entry.caller === 0) continue;
      const first = firstOf(entry);
      const label = this.labels[entry.caller];
      const known = byLabel.get(label);
      if (first && (!known || first.at < known.at)) byLabel.set(label, first);
    }
    const signed = new Map(
      [...byLabel]
        .sort((a, b) => a[1].at - b[1].at)
        .map(([label, { mask }]) => [label, this.reason(mask)] as const),
    );
    if (signed.size) {
      return {
        verdict: 'signed-only',
        principals: [...signed.keys()],
        reason: [...new Set(signed.values())].join('; '),
      };
    }
    const unevaluated = this.unevaluated & network;
    if (
      unevaluated !== 0n &&
      this.withIps.some(masks => masks.some(m => (m & unevaluated) !== 0n))
    ) {
      return {
        verdict: 'unknown',
        principals: [],
        reason: UNKNOWN_OPERATOR_REASON,
      };
    }
    return {
      verdict: 'denied',
      principals: [],
      reason: this.reason(this.firstProbe & network),
    };
  }
}

/**
 * The execute-api endpoints of a Region, looked up by id and by VPC (lower-case), so that a
 * policy's answers cost one evaluation per endpoint it names, not one per endpoint of the
 * Region. Build it once per Region and pass it to {@link policyCallersIn} for every policy.
 */
export class CallerEndpointIndex<E extends CallerEndpoint = CallerEndpoint> {
  readonly all: readonly E[];
  private readonly position = new Map<E, number>();
  private readonly byId = new Map<string, E[]>();
  private readonly byVpc = new Map<string, E[]>();

  constructor(endpoints: readonly E[]) {
    this.all = endpoints;
    endpoints.forEach((e, i) => {
      this.position.set(e, i);
      push(this.byId, e.vpcEndpointId.toLowerCase(), e);
      push(this.byVpc, e.vpcId.toLowerCase(), e);
    });
  }

  /** The endpoints whose id or VPC is among the (lower-case) values, in the index's order. */
  matching(vpcs: Set<string>, vpces: Set<string>): E[] {
    const found = new Set<E>();
    for (const v of vpcs) for (const e of this.byVpc.get(v) ?? []) found.add(e);
    for (const v of vpces) for (const e of this.byId.get(v) ?? []) found.add(e);
    return [...found].sort(
      (a, b) => this.position.get(a)! - this.position.get(b)!,
    );
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * The values a policy's clauses on the VPC and endpoint keys can tell apart from any other
 * value (lower-case), or `undefined` when some clause compares by pattern (StringLike with a
 * wildcard, ARN or IP operators): then any endpoint may be told apart and each is evaluated.
 *
 * An equality-like clause (StringEquals, …IgnoreCase, StringLike without a wildcard, Bool)
 * treats every value it does not list alike; Null and operators this evaluator does not know
 * do not look at the value at all.
 */
function namedValues(
  policy: ResourcePolicy,
): { vpcs: Set<string>; vpces: Set<string> } | undefined {
  const vpcs = new Set<string>();
  const vpces = new Set<string>();
  for (const statement of policy.statements) {
    for (const clause of statement.conditions) {
      const key = clause.key.toLowerCase();
      let into: Set<string>;
      if (key === KEYS.sourceVpc) into = vpcs;
      else if (key === KEYS.sourceVpce) into = vpces;
      else continue;
      const operator = parseOperator(clause.operator);
      if (!operator || operator.family === 'null') continue;
      const byValue =
        operator.comparison === 'exact' ||
        operator.comparison === 'ignore-case' ||
        operator.comparison === 'bool' ||
        (operator.comparison === 'like' && !clause.values.some(hasWildcard));
      if (!byValue) return undefined;
      for (const v of clause.values) into.add(v.toLowerCase());
    }
  }
  return { vpcs, vpces };
}

/** A value of the key's form outside `named` (lower-case). */
function outside(prefix: string, named: Set<string>): string {
  let candidate = `${prefix}0unnamed`;
  for (let n = 1; named.has(candidate); n++)
    candidate = `${prefix}0unnamed${n}`;
  return candidate;
}

/**
 * The answer of an API's resource policy for endpoints it does not name (`unnamed`), and for
 * the endpoints of the index it treats otherwise (`named`, in the index's order). Every
 * endpoint of the index missing from `named` gets the `unnamed` answer. The work is proportional to the
 * endpoints the policy names, unless it compares the VPC or endpoint by pattern.
 */
export function policyCallersIn<E extends CallerEndpoint>(
  policyText: string | undefined,
  apiArn: string,
  index: CallerEndpointIndex<E>,
): {
  unnamed: CallerAdmission;
  named: Array<{ endpoint: E; admission: CallerAdmission }>;
} {
  if (!policyText?.trim()) return { unnamed: NO_POLICY, named: [] };
  let policy: ResourcePolicy;
  try {
    policy = toResourcePolicy(policyText);
  } catch (error) {
    if (!(error instanceof PolicyParseError)) throw error;
    const unreadable: CallerAdmission = {
      verdict: 'unknown',
      principals: [],
      reason: `The resource policy cannot be read: ${error.message}`,
    };
    return { unnamed: unreadable, named: [] };
  }
  const compiled = new CompiledCallers(
    policy,
    buildProbeSpace(policy, {
      apiArn,
      apiAccount: parseApiArn(apiArn).accountId,
      network: 'private',
    }),
  );
  const { space } = compiled;
  const unnamed = compiled.answer(
    space.vpcs.find(c => c.other)!.sample,
    space.vpces.find(c => c.other)!.sample,
  );
  const values = namedValues(policy);
  // Every endpoint outside `values` sees the clauses as this one does. Usually that is the
  // unnamed answer; when the policy's own "other" sample happens to be told apart (a value
  // listed in another case), it is a class of its own and is stored per endpoint.
  const rest = values
    ? compiled.answer(
        outside('vpc-', values.vpcs),
        outside('vpce-', values.vpces),
      )
    : undefined;
  const named: Array<{ endpoint: E; admission: CallerAdmission }> = [];
  // Only when every other endpoint gets the unnamed answer can the rest be skipped.
  const evaluated =
    values && rest === unnamed
      ? index.matching(values.vpcs, values.vpces)
      : index.all;
  for (const e of evaluated) {
    const admission = compiled.answer(e.vpcId, e.vpcEndpointId);
    if (admission !== unnamed) named.push({ endpoint: e, admission });
  }
  return { unnamed, named };
}

/**
 * The answer of an API's resource policy for each endpoint of its Region, and for endpoints
 * it does not name. `policyText` undefined or empty: every call is rejected.
 */
export function policyCallers(
  policyText: string | undefined,
  apiArn: string,
  endpoints: CallerEndpoint[],
): PolicyCallers {
  const { unnamed, named } = policyCallersIn(
    policyText,
    apiArn,
    new CallerEndpointIndex(endpoints),
  );
  const byEndpoint = new Map(
    endpoints.map(e => [e.vpcEndpointId, unnamed] as const),
  );
  for (const { endpoint, admission } of named)
    byEndpoint.set(endpoint.vpcEndpointId, admission);
  return { unnamed, byEndpoint };
}

/**
 * `arn:{partition}:execute-api:{region}:{account}:/domainnames/{domainName}+{domainNameId}`:
 * the resource a private custom domain's policy names and a call through it is checked
 * against (not the domain's `arn:…:apigateway:…` ARN, which its management policy names).
 */
export function domainExecuteApiArn(
  domain: Pick<
    DomainRecord,
    'domainName' | 'domainNameId' | 'accountId' | 'region'
  >,
  partition = 'aws',
): string {
  const qualified = domain.domainNameId
    ? `${domain.domainName}+${domain.domainNameId}`
    : domain.domainName;
  return `arn:${partition}:execute-api:${domain.region}:${domain.accountId}:/domainnames/${qualified}`;
}

/**
 * A private custom domain's own answer for one endpoint: the endpoint needs a domain name
 * access association and an allow in the domain's policy. (The mapped API's policy must let
 * it in too; that is the API's own answer.)
 */
export function domainAdmission(
  domain: DomainRecord,
  endpoint: CallerEndpoint,
  partition = 'aws',
): CallerAdmission {
  return domainAdmissions(domain, [endpoint], partition)[0];
}

/**
 * {@link domainAdmission} for each endpoint, in order, with the domain's policy read once
 * (a domain associated with hundreds of endpoints would otherwise parse it hundreds of times).
 */
export function domainAdmissions(
  domain: DomainRecord,
  endpoints: CallerEndpoint[],
  partition = 'aws',
): CallerAdmission[] {
  const associated = new Set(
    domain.accessAssociations.map(a => a.vpcEndpointId),
  );
  let policy: ResourcePolicy | CallerAdmission | undefined;
  const readPolicy = (): ResourcePolicy | CallerAdmission => {
    if (!domain.policy?.trim()) {
      return {
        verdict: 'unknown',
        principals: [],
        reason: `The inventory has no policy for ${domain.domainName}.`,
      };
    }
    try {
      return toResourcePolicy(domain.policy);
    } catch (error) {
      if (!(error instanceof PolicyParseError)) throw error;
      return {
        verdict: 'unknown',
        principals: [],
        reason: `The domain's policy cannot be read: ${error.message}`,
      };
    }
  };
  const resource = domainExecuteApiArn(domain, partition);
  return endpoints.map(endpoint => {
    const id = endpoint.vpcEndpointId;
    if (!associated.has(id)) {
      return {
        verdict: 'denied',
        principals: [],
        reason: `${id} has no domain name access association with ${domain.domainName}.`,
      };
    }
    policy ??= readPolicy();
    if (!('statements' in policy)) return policy;
    const decision = decide(
      policy,
      { resource, sourceVpc: endpoint.vpcId, sourceVpce: id },
      false,
    );
    if (decision.unevaluated.length && decision.decision !== 'allow') {
      return {
        verdict: 'unknown',
        principals: [],
        reason:
          "The domain's policy uses a condition operator this evaluator does not know.",
      };
    }
    return {
      verdict: decision.decision === 'allow' ? 'allowed' : 'denied',
      principals: [],
      reason: reasonOf(policy, decision),
    };
  });
}

/** The URL a caller behind one endpoint should use, and how it reaches the API. */
export interface CallerInvokeUrl {
  via: 'private-custom-domain' | 'private-dns' | 'route53-alias' | 'vpce-dns';
  url: string;
  headers: Record<string, string>;
}

/**
 * The base URL to call a private API with from behind an endpoint its policy admits, best
 * first (the order of the invoke options): a private custom domain that lets the endpoint in
 * (its URL survives the API being replaced), the API's own name when the endpoint has private
 * DNS, the Route 53 alias of an associated endpoint, else the endpoint's own DNS name with the
 * API's Host header. Undefined when the API has no stage and no working domain.
 */
export function callerInvokeUrl(input: {
  apiId: string;
  region: string;
  partition: string;
  apiType: ApiType;
  /** The stage the URL names (the first stage). */
  stage?: string;
  vpcEndpointIds: string[];
  disableExecuteApiEndpoint: boolean;
  endpoint: Pick<
    VpcEndpointRecord,
    'vpcEndpointId' | 'privateDnsEnabled' | 'dnsNames'
  >;
  /** Mappings of private custom domains that let the endpoint in, to this API. */
  domains: Array<{ domainName: string; basePath: string }>;
}): CallerInvokeUrl | undefined {
  const [domain] = input.domains;
  if (domain) {
    return {
      via: 'private-custom-domain',
      url: domainUrl(domain.domainName, domain.basePath, input.apiType),
      headers: {},
    };
  }
  if (!input.stage || input.disableExecuteApiEndpoint) return undefined;
  const { endpoint } = input;
  const host = executeApiHost(input.apiId, input.region, input.partition);
  if (endpoint.privateDnsEnabled) {
    return {
      via: 'private-dns',
      url: stageUrl(host, input.stage, input.apiType),
      headers: {},
    };
  }
  if (input.vpcEndpointIds.includes(endpoint.vpcEndpointId)) {
    return {
      via: 'route53-alias',
      url: stageUrl(
        route53AliasHost(
          input.apiId,
          endpoint.vpcEndpointId,
          input.region,
          input.partition,
        ),
        input.stage,
        input.apiType,
      ),
      headers: {},
    };
  }
  const [endpointHost] = endpoint.dnsNames;
  if (!endpointHost) return undefined;
  return {
    via: 'vpce-dns',
    url: stageUrl(endpointHost, input.stage, input.apiType),
    headers: { Host: host },
  };
}
