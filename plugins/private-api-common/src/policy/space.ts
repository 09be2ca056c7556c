/**
 * Questions over every sample request of a probe space (see probe.ts), answered without
 * visiting the requests one by one.
 *
 * A sample request is a choice of one class per dimension: resource, caller (principal and
 * organization, which go together: an unsigned caller has no organization), VPC, endpoint
 * and IP address. Every clause of a statement reads one condition key, and every key belongs
 * to one dimension, so whether a statement applies is an AND over the dimensions of "does
 * this dimension's class satisfy the statement's part for it". Each class is therefore
 * compiled once into the set of statements it satisfies (a bit mask), and a request's
 * applying statements are the AND of its classes' masks.
 *
 * The enumeration becomes a walk through layers (one per dimension) whose nodes are the
 * distinct masks reached so far: millions of requests collapse into a few hundred nodes,
 * because most choices leave the same statements standing. A forward pass finds the masks
 * reachable with some Allow still standing; a backward pass marks the classes on a path to
 * an allowed request (some Allow applies, no Deny does). The answers are exactly those of
 * enumerating every request with `decide` (the property tests check it).
 */
import { parseApiArn, resourceMatches } from './arn';
import { evaluateClause, parseOperator } from './conditions';
import { contextValue, principalMatches } from './context';
import { INVOKE_ACTION } from './evaluate';
import {
  buildProbeSpace,
  KEYS,
  Probe,
  ProbeSpace,
  PrincipalSample,
  ResourceSample,
  ValueClass,
} from './probe';
import {
  AccessRequestContext,
  ConditionClause,
  PolicyStatement,
  ResourcePolicy,
} from './types';
import { wildcardMatch } from './wildcard';

type NetworkDimension = 'vpc' | 'vpce' | 'ip';

/** A caller to try: a principal and, for signed callers, an organization (or none). */
export interface CallerSample {
  principal: PrincipalSample;
  org?: ValueClass;
}

/** The probe space with every class compiled to the statements it satisfies. */
export interface CompiledSpace {
  /** Statements whose parts outside every dimension hold (action, keys no call carries). */
  base: bigint;
  allow: bigint;
  deny: bigint;
  /**
   * Compiled `withUnevaluated`: the statements with an operator this evaluator does not
   * know. Their bit stands where none of their other clauses fails: where `decide` reports
   * them as unevaluated. They are neither in `allow` nor in `deny`.
   */
  unevaluated: bigint;
  resources: bigint[];
  callers: CallerSample[];
  callerMasks: bigint[];
  /** The network dimensions present (private: vpc, vpce, ip; public: ip). */
  network: Array<{
    name: NetworkDimension;
    classes: ValueClass[];
    masks: bigint[];
  }>;
}

/** The dimension a condition key belongs to, for calls of this kind of network. */
function dimensionOf(
  key: string,
  network: ProbeSpace['network'],
): NetworkDimension | 'caller' | undefined {
  const lower = key.toLowerCase();
  if (
    lower === KEYS.principalAccount ||
    lower === KEYS.principalArn ||
    lower === KEYS.principalOrgId
  ) {
    return 'caller';
  }
  if (network === 'private') {
    if (lower === KEYS.sourceVpc) return 'vpc';
    if (lower === KEYS.sourceVpce) return 'vpce';
    if (lower === KEYS.vpcSourceIp) return 'ip';
  } else if (lower === KEYS.sourceIp) {
    return 'ip';
  }
  // Keys the calls of this network never carry: absent from every sample request.
  return undefined;
}

/** The callers of the space in enumeration order: unsigned first-class, then each org. */
function callersOf(space: ProbeSpace): CallerSample[] {
  return space.principals.flatMap(principal =>
    principal.principal === '*'
      ? [{ principal }]
      : [{ principal }, ...space.orgs.map(org => ({ principal, org }))],
  );
}

/** No clause fails (a clause of an unknown operator is 'unknown', never false). */
function holds(
  clauses: ConditionClause[],
  value: (c: ConditionClause) => string | undefined,
) {
  return clauses.every(c => evaluateClause(c, value(c)) !== false);
}

/**
 * Compiles every class of the space to the statements it satisfies. A statement with an
 * operator this evaluator does not know never applies (decide reports it as unevaluated):
 * it gets no bit, unless `withUnevaluated` asks for the `unevaluated` mask.
 */
export function compile(
  policy: ResourcePolicy,
  space: ProbeSpace,
  withUnevaluated = false,
): CompiledSpace {
  const callers = callersOf(space);
  const network: CompiledSpace['network'] =
    space.network === 'private'
      ? [
          { name: 'vpc', classes: space.vpcs, masks: [] },
          { name: 'vpce', classes: space.vpces, masks: [] },
          { name: 'ip', classes: space.vpcSourceIps, masks: [] },
        ]
      : [{ name: 'ip', classes: space.sourceIps, masks: [] }];
  for (const dimension of network)
    dimension.masks = dimension.classes.map(() => 0n);
  const compiled: CompiledSpace = {
    base: 0n,
    allow: 0n,
    deny: 0n,
    unevaluated: 0n,
    resources: space.resources.map(() => 0n),
    callers,
    callerMasks: callers.map(() => 0n),
    network,
  };
  policy.statements.forEach((statement: PolicyStatement, position) => {
    const unknown = statement.conditions.some(c => !parseOperator(c.operator));
    if (unknown && !withUnevaluated) return;
    const bit = 1n << BigInt(position);
    const parts = new Map<string | undefined, ConditionClause[]>();
    for (const clause of statement.conditions) {
      const dimension = dimensionOf(clause.key, space.network);
      parts.set(dimension, [...(parts.get(dimension) ?? []), clause]);
    }
    const actionNamed = statement.action.patterns.some(p =>
      wildcardMatch(p, INVOKE_ACTION, true),
    );
    if (
      actionNamed === statement.action.negated ||
      !holds(parts.get(undefined) ?? [], () => undefined)
    ) {
      return;
    }
    compiled.base |= bit;
    if (unknown) compiled.unevaluated |= bit;
    else if (statement.effect === 'Allow') compiled.allow |= bit;
    else compiled.deny |= bit;
    space.resources.forEach((resource, i) => {
      const named = statement.resource.patterns.some(p =>
        resourceMatches(p, resource.arn),
      );
      if (named !== statement.resource.negated) compiled.resources[i] |= bit;
    });
    const callerClauses = parts.get('caller') ?? [];
    callers.forEach((caller, i) => {
      const request: AccessRequestContext = {
        resource: '',
        principal: caller.principal.principal,
        principalOrgId: caller.org?.sample,
      };
      if (
        principalMatches(statement.principal, request.principal) &&
        holds(callerClauses, c => contextValue(request, c.key))
      ) {
        compiled.callerMasks[i] |= bit;
      }
    });
    for (const dimension of network) {
      const clauses = parts.get(dimension.name) ?? [];
      dimension.classes.forEach((c, i) => {
        if (holds(clauses, () => c.sample)) dimension.masks[i] |= bit;
      });
    }
  });
  return compiled;
}

/** Past this many distinct nodes in one layer the walk stops (and says it is incomplete). */
const MAX_LAYER_NODES = 50_000;

interface Walk {
  /** Per start: some request from it is allowed. */
  allowed: boolean[];
  /** Per dimension, per class: the starts from which the class is part of an allowed request. */
  onAllowedPath: bigint[][];
  /** The Allow statements that take effect in some allowed request. */
  effective: bigint;
  complete: boolean;
}

/**
 * Walks the layers from every start (one per group of resources) through the dimensions,
 * forward then backward. Each node carries the set of starts that reach it (a bit per
 * start), so one walk answers every resource: a node's future does not depend on where it
 * came from. A path is kept while some bit of `allow` stands; a complete request counts
 * when `accepts` its mask.
 */
function walk(
  starts: bigint[],
  dimensions: bigint[][],
  allow: bigint,
  accepts: (mask: bigint) => boolean,
): Walk {
  // Classes with the same mask behave alike: walk each distinct mask once; dimensions with
  // more distinct masks first (measured faster on the generated policies of bench/policy).
  const order = dimensions
    .map((masks, k) => ({ k, distinct: [...new Set(masks)] }))
    .sort((a, b) => b.distinct.length - a.distinct.length);
  const distinct = order.map(o => o.distinct);
  const reachOf = distinct.map(masks => masks.map(() => 0n));
  let complete = true;
  const first = new Map<bigint, bigint>();
  starts.forEach((start, i) => {
    if ((start & allow) !== 0n) {
      first.set(start, (first.get(start) ?? 0n) | (1n << BigInt(i)));
    }
  });
  const layers = [first];
  for (const masks of distinct) {
    const next = new Map<bigint, bigint>();
    for (const [node, from] of layers[layers.length - 1]) {
      for (const mask of masks) {
        const reached = node & mask;
        if ((reached & allow) !== 0n) {
          next.set(reached, (next.get(reached) ?? 0n) | from);
        }
      }
      if (next.size > MAX_LAYER_NODES) {
        complete = false;
        break;
      }
    }
    layers.push(next);
  }
  let good = new Set([...layers[distinct.length].keys()].filter(accepts));
  let effective = 0n;
  for (const node of good) effective |= node & allow;
  let allowedFrom = 0n;
  for (let k = distinct.length - 1; k >= 0; k--) {
    const before = new Set<bigint>();
    for (const [node, from] of layers[k]) {
      for (let i = 0; i < distinct[k].length; i++) {
        if (good.has(node & distinct[k][i])) {
          before.add(node);
          reachOf[k][i] |= from;
          if (k === 0) allowedFrom |= from;
        }
      }
    }
    good = before;
  }
  const onAllowedPath = dimensions.map((masks, k) => {
    const at = order.findIndex(o => o.k === k);
    const byMask = new Map(
      distinct[at].map((mask, i) => [mask, reachOf[at][i]]),
    );
    return masks.map(mask => byMask.get(mask)!);
  });
  return {
    allowed: starts.map((_, i) => ((allowedFrom >> BigInt(i)) & 1n) === 1n),
    onAllowedPath,
    effective,
    complete,
  };
}

/** What the allowed requests of one resource have in common: the classes they use. */
export interface ResourceAccess {
  resource: ResourceSample;
  /** Callers (principal and organization) of some allowed request. */
  callers: CallerSample[];
  vpcs: ValueClass[];
  vpces: ValueClass[];
  ips: ValueClass[];
  /** An unsigned call with no network attribute the policy names is allowed. */
  anonymousFromAnywhere: boolean;
}

/** The answers of the whole space for the policy analysis. */
export interface SpaceAnswers {
  /** Per resource of the space, in order. */
  resources: ResourceAccess[];
  /** Per statement position: it applies to some request. */
  applied: boolean[];
  /** Per statement position: an Allow that applies to some allowed request. */
  effective: boolean[];
  /** Per statement position: the Denys that apply to some request this statement applies to. */
  overriddenBy: number[][];
  /** False when the walk stopped early: the lists may be incomplete. */
  complete: boolean;
}

function bitsOf(mask: bigint, count: number): number[] {
  const bits: number[] = [];
  for (let i = 0; i < count; i++) if ((mask >> BigInt(i)) & 1n) bits.push(i);
  return bits;
}

function union(masks: bigint[]): bigint {
  return masks.reduce((a, b) => a | b, 0n);
}

/** Answers, for every resource, statement and class, what enumerating every request would. */
export function answerSpace(
  policy: ResourcePolicy,
  space: ProbeSpace,
): SpaceAnswers {
  const compiled = compile(policy, space);
  const { base, allow, deny, callerMasks, network } = compiled;
  const count = policy.statements.length;
  const dimensions = [callerMasks, ...network.map(d => d.masks)];
  // Resources that the same statements name have the same answers: one start each.
  const startOf = space.resources.map((_, r) => base & compiled.resources[r]);
  const starts = [...new Set(startOf)];
  const allowed = (m: bigint) => (m & deny) === 0n;
  const full = walk(starts, dimensions, allow, allowed);
  // Unsigned, with every network attribute one the policy does not name.
  const anonymous = callerMasks.filter(
    (_, i) => compiled.callers[i].principal.principal === '*',
  );
  const others = network.map(d => d.masks.filter((_, i) => d.classes[i].other));
  const fromAnywhere = walk(starts, [anonymous, ...others], allow, allowed);
  const complete = full.complete && fromAnywhere.complete;
  const resources = space.resources.map((resource, r) => {
    const start = starts.indexOf(startOf[r]);
    const on = (reach: bigint) => ((reach >> BigInt(start)) & 1n) === 1n;
    const [callersOn, ...networkOn] = full.onAllowedPath;
    const classesOn = (name: NetworkDimension) => {
      const d = network.findIndex(n => n.name === name);
      return d < 0
        ? []
        : network[d].classes.filter((_, i) => on(networkOn[d][i]));
    };
    return {
      resource,
      callers: compiled.callers.filter((_, i) => on(callersOn[i])),
      vpcs: classesOn('vpc'),
      vpces: classesOn('vpce'),
      ips: classesOn('ip'),
      anonymousFromAnywhere: fromAnywhere.allowed[start],
    };
  });

  // A statement applies to some request when every dimension has a class it holds for; two
  // statements apply together when every dimension has a class both hold for.
  const allDimensions = [compiled.resources, ...dimensions];
  const applied = allDimensions.reduce((a, d) => a & union(d), base);
  const effective = full.effective;
  return {
    resources,
    applied: policy.statements.map(
      (_, i) => ((applied >> BigInt(i)) & 1n) === 1n,
    ),
    effective: policy.statements.map(
      (_, i) => ((effective >> BigInt(i)) & 1n) === 1n,
    ),
    overriddenBy: policy.statements.map((_, i) => {
      const bit = 1n << BigInt(i);
      if ((applied & bit) === 0n || (allow & bit) === 0n) return [];
      const together = allDimensions.reduce(
        (a, d) => a & union(d.filter(m => (m & bit) !== 0n)),
        base & deny,
      );
      return bitsOf(together, count);
    }),
    complete,
  };
}

/**
 * The first allowed request of the space in enumeration order (resource, caller, VPC,
 * endpoint, IP), found depth-first; a mask already known to lead nowhere is not walked again.
 */
export function firstAllowedRequest(
  policy: ResourcePolicy,
  space: ProbeSpace,
): Probe | undefined {
  const compiled = compile(policy, space);
  const { allow, deny, network } = compiled;
  const dimensions = [compiled.callerMasks, ...network.map(d => d.masks)];
  const dead = dimensions.map(() => new Set<bigint>());
  const path: number[] = [];
  const search = (node: bigint, k: number): boolean => {
    if ((node & allow) === 0n) return false;
    if (k === dimensions.length) return (node & deny) === 0n;
    if (dead[k].has(node)) return false;
    for (let i = 0; i < dimensions[k].length; i++) {
      path[k] = i;
      if (search(node & dimensions[k][i], k + 1)) return true;
    }
    dead[k].add(node);
    return false;
  };
  for (let r = 0; r < space.resources.length; r++) {
    if (!search(compiled.base & compiled.resources[r], 0)) continue;
    const resource = space.resources[r];
    const { principal, org } = compiled.callers[path[0]];
    const chosen = Object.fromEntries(
      network.map((d, i) => [d.name, d.classes[path[i + 1]]]),
    ) as Partial<Record<NetworkDimension, ValueClass>>;
    const request: AccessRequestContext = {
      resource: resource.arn,
      action: INVOKE_ACTION,
      principal: principal.principal,
      principalOrgId: org?.sample,
      sourceVpc: chosen.vpc?.sample,
      sourceVpce: chosen.vpce?.sample,
      ...(space.network === 'private'
        ? { vpcSourceIp: chosen.ip?.sample }
        : { sourceIp: chosen.ip?.sample }),
    };
    return { request, resource, principal, org, ...chosen };
  }
  return undefined;
}

/** A fixed value for a dimension: the only sample tried for it. */
function fixedClass(value: string): ValueClass[] {
  return [{ sample: value, members: [value], other: false }];
}

/** Which sample calls through a VPC endpoint to try. */
export interface CallFilter {
  /** Only calls from this VPC. */
  sourceVpc?: string;
  /** Only calls through this endpoint. */
  sourceVpce?: string;
  /** Only calls from VPCs the policy does not name (when no sourceVpc is given). */
  unnamedVpc?: boolean;
  /** Only calls through endpoints the policy does not name (when no sourceVpce is given). */
  unnamedVpce?: boolean;
  /** Only unsigned calls. */
  anonymousOnly?: boolean;
}

/**
 * A sample call through a VPC endpoint to the API that the policy allows, among those the
 * filter admits; undefined when none is allowed.
 */
export function findAllowedCall(
  policy: ResourcePolicy,
  apiArn: string,
  filter: CallFilter = {},
): Probe | undefined {
  return firstAllowedRequest(policy, filteredSpace(policy, apiArn, filter));
}

/** The private-network probe space of the policy, narrowed to the calls the filter admits. */
function filteredSpace(
  policy: ResourcePolicy,
  apiArn: string,
  filter: CallFilter,
  stages?: string[],
): ProbeSpace {
  const space = buildProbeSpace(policy, {
    apiArn,
    apiAccount: parseApiArn(apiArn).accountId,
    network: 'private',
    stages,
  });
  if (filter.sourceVpc) space.vpcs = fixedClass(filter.sourceVpc);
  else if (filter.unnamedVpc) space.vpcs = space.vpcs.filter(c => c.other);
  if (filter.sourceVpce) space.vpces = fixedClass(filter.sourceVpce);
  else if (filter.unnamedVpce) space.vpces = space.vpces.filter(c => c.other);
  if (filter.anonymousOnly) {
    space.principals = space.principals.filter(p => p.principal === '*');
  }
  return space;
}

/** The sample resources on which `after` takes access away, or undefined when unknown. */
export interface LostAccess {
  /** Resources with some call (of the filter) that `before` allows and `after` does not. */
  resources: ResourceSample[];
  /** False when the walk stopped early: then `resources` may miss some. */
  complete: boolean;
}

/**
 * The sample resources (one per stage given, and per resource pattern of either policy) on
 * which some call through a VPC endpoint that the filter admits is allowed by `before` and
 * not by `after`: what enumerating every such call with `decide` on both policies would
 * find, answered by one walk over the statements of both (a bit per statement of each).
 */
export function findLostAccess(
  before: ResourcePolicy,
  after: ResourcePolicy,
  apiArn: string,
  filter: CallFilter,
  stages: string[],
): LostAccess {
  const offset = before.statements.length;
  // Both policies' statements side by side: the space distinguishes what either names.
  const both: ResourcePolicy = {
    document: after.document,
    statements: [...before.statements, ...after.statements],
  };
  const space = filteredSpace(both, apiArn, filter, stages);
  const compiled = compile(both, space);
  const beforeBits = (1n << BigInt(offset)) - 1n;
  const afterBits =
    ((1n << BigInt(after.statements.length)) - 1n) << BigInt(offset);
  const { allow, deny } = compiled;
  const lost = (m: bigint) =>
    (m & deny & beforeBits) === 0n &&
    ((m & allow & afterBits) === 0n || (m & deny & afterBits) !== 0n);
  const dimensions = [
    compiled.callerMasks,
    ...compiled.network.map(d => d.masks),
  ];
  const startOf = space.resources.map(
    (_, r) => compiled.base & compiled.resources[r],
  );
  const starts = [...new Set(startOf)];
  // Only paths on which some Allow of `before` still applies can lead to a lost call.
  const result = walk(starts, dimensions, allow & beforeBits, lost);
  return {
    resources: space.resources.filter(
      (_, r) => result.allowed[starts.indexOf(startOf[r])],
    ),
    complete: result.complete,
  };
}
