/**
 * The policy summary the UI shows: who may call the API (VPCs, endpoints, IP ranges,
 * principals, organizations), whether that differs per stage or method, and findings.
 * Built from sample requests (see probe.ts) with the evaluator's rules, answered over the
 * whole space at once (see space.ts) and checked against evaluateAccess by property tests.
 */
import { describeAssumption, VERIFY_ASSUMPTIONS } from '../assumptions';
import { EndpointType } from '../inventory/types';
import { route53AliasHost } from '../invoke/urls';
import { accountOfPrincipal, parseApiArn } from './arn';
import { isModelledKey } from './context';
import { describeStatement } from './describe';
import { statementLabel, unknownOperators } from './evaluate';
import { toResourcePolicy } from './parse';
import {
  buildProbeSpace,
  KEYS,
  Network,
  PrincipalSample,
  ProbeSpace,
  ResourceSample,
  ValueClass,
} from './probe';
import { answerSpace, ResourceAccess } from './space';
import { ResourcePolicy } from './types';
import { hasWildcard } from './wildcard';

/** Who may call, along one dimension of the request. */
export interface AccessList {
  /** True when a value the policy does not name may call (no restriction on this dimension). */
  any: boolean;
  /** Values named in the policy that may call (given the right other attributes). */
  allowed: string[];
  /** Values named in the policy that may not call, whatever else the request carries. */
  denied: string[];
}

/**
 * - `anyone`: an unsigned call from any VPC endpoint (private APIs) or any address (public) passes;
 * - `restricted`: unsigned calls pass, but only from some VPCs, endpoints or addresses;
 * - `authenticated-only`: only signed (SigV4) callers the policy names can pass;
 * - `nobody`: no call passes.
 */
export type PolicyAudience =
  | 'anyone'
  | 'restricted'
  | 'authenticated-only'
  | 'nobody';

/** Who may call the API (or one part of it) under the policy. */
export interface PolicyAccessSummary {
  audience: PolicyAudience;
  /** True when unsigned (anonymous) calls can pass. */
  anonymous: boolean;
  /** `aws:SourceVpc`; private APIs only. */
  vpcs?: AccessList;
  /** `aws:SourceVpce`; private APIs only. */
  vpcEndpoints?: AccessList;
  /** `aws:VpcSourceIp` ranges; private APIs only. */
  vpcSourceIps?: AccessList;
  /** `aws:SourceIp` ranges; public APIs only (calls through a VPC endpoint carry none). */
  sourceIps?: AccessList;
  /** Accounts and IAM principals, as the policy names them. */
  principals: AccessList;
  /** `aws:PrincipalOrgID`. */
  organizations: AccessList;
}

/** The access of the stages, methods or paths that differ from the rest of the API. */
export interface PolicyScope extends PolicyAccessSummary {
  /** The resource patterns (console shorthand) and stages this summary holds for. */
  resources: string[];
}

/** What the analysis points out. */
export type PolicyFindingCode =
  | 'no-policy'
  | 'nobody-can-call'
  | 'open-to-any-vpc-endpoint'
  | 'allow-overridden-by-deny'
  | 'statement-never-applies'
  | 'vpce-not-associated'
  | 'source-ip-on-private-api'
  | 'vpc-keys-on-public-api'
  | 'unknown-operator'
  | 'unmodelled-condition-key'
  | 'cross-account-principals'
  | 'analysis-truncated';

/** One thing the analysis points out, with the statements concerned. */
export interface PolicyFinding {
  severity: 'error' | 'warning' | 'info';
  code: PolicyFindingCode;
  message: string;
  statements: number[];
}

/** One statement in plain language. */
export interface StatementSummary {
  index: number;
  sid?: string;
  effect: 'Allow' | 'Deny';
  description: string;
}

/** The summary of a resource policy for one API. */
export interface PolicyAnalysis extends PolicyAccessSummary {
  hasPolicy: boolean;
  statements: StatementSummary[];
  /** Empty when every stage, method and path has the same access; else one entry per distinct access. */
  scopes: PolicyScope[];
  findings: PolicyFinding[];
}

/** The API the policy belongs to. */
export interface AnalyzeOptions {
  /** `arn:{partition}:execute-api:{region}:{account}:{apiId}`. */
  apiArn: string;
  /** Defaults to PRIVATE: calls come through VPC endpoints. */
  endpointType?: EndpointType;
  /** The endpoints associated with the API (Route 53 aliases); enables the association finding. */
  associatedVpcEndpointIds?: string[];
  /** Stage names, so that per-stage differences are found. */
  stages?: string[];
}

interface Tally {
  allowed: boolean;
  anonymous: boolean;
  anonymousFromAnywhere: boolean;
  vpcs: Set<ValueClass>;
  vpces: Set<ValueClass>;
  ips: Set<ValueClass>;
  principals: Set<PrincipalSample>;
  orgs: Set<ValueClass>;
  orgAbsentOrOther: boolean;
}

function emptyTally(): Tally {
  return {
    allowed: false,
    anonymous: false,
    anonymousFromAnywhere: false,
    vpcs: new Set(),
    vpces: new Set(),
    ips: new Set(),
    principals: new Set(),
    orgs: new Set(),
    orgAbsentOrOther: false,
  };
}

/** The tally of one resource: the classes its allowed sample requests use. */
function tallyOf(access: ResourceAccess): Tally {
  const tally = emptyTally();
  tally.allowed = access.callers.length > 0;
  tally.anonymousFromAnywhere = access.anonymousFromAnywhere;
  for (const { principal, org } of access.callers) {
    tally.anonymous ||= principal.principal === '*';
    tally.principals.add(principal);
    if (org) tally.orgs.add(org);
    tally.orgAbsentOrOther ||= !org || org.other;
  }
  access.vpcs.forEach(c => tally.vpcs.add(c));
  access.vpces.forEach(c => tally.vpces.add(c));
  access.ips.forEach(c => tally.ips.add(c));
  return tally;
}

function merge(tallies: Tally[]): Tally {
  const merged = emptyTally();
  for (const t of tallies) {
    merged.allowed ||= t.allowed;
    merged.anonymous ||= t.anonymous;
    merged.anonymousFromAnywhere ||= t.anonymousFromAnywhere;
    merged.orgAbsentOrOther ||= t.orgAbsentOrOther;
    for (const key of ['vpcs', 'vpces', 'ips', 'principals', 'orgs'] as const) {
      (t[key] as Set<unknown>).forEach(v =>
        (merged[key] as Set<unknown>).add(v),
      );
    }
  }
  return merged;
}

function accessList(
  classes: Array<ValueClass | PrincipalSample>,
  allowed: Set<ValueClass | PrincipalSample>,
  anyOverride?: boolean,
): AccessList {
  const allowedMembers = new Set(
    classes.filter(c => allowed.has(c)).flatMap(c => c.members),
  );
  const denied = classes
    .filter(c => !allowed.has(c))
    .flatMap(c => c.members)
    .filter(m => !allowedMembers.has(m));
  const hasOther = classes.some(c => c.other);
  const any =
    anyOverride ||
    (hasOther
      ? classes.some(c => c.other && allowed.has(c))
      : classes.length > 0 && classes.every(c => allowed.has(c)));
  return { any, allowed: [...allowedMembers], denied: [...new Set(denied)] };
}

function summarize(tally: Tally, space: ProbeSpace): PolicyAccessSummary {
  let audience: PolicyAudience = 'nobody';
  if (tally.anonymousFromAnywhere) audience = 'anyone';
  else if (tally.anonymous) audience = 'restricted';
  else if (tally.allowed) audience = 'authenticated-only';
  const isPrivate = space.network === 'private';
  return {
    audience,
    anonymous: tally.anonymous,
    ...(isPrivate
      ? {
          vpcs: accessList(space.vpcs, tally.vpcs),
          vpcEndpoints: accessList(space.vpces, tally.vpces),
          vpcSourceIps: accessList(space.vpcSourceIps, tally.ips),
        }
      : { sourceIps: accessList(space.sourceIps, tally.ips) }),
    principals: accessList(space.principals, tally.principals, tally.anonymous),
    organizations: {
      ...accessList(space.orgs, tally.orgs),
      any: tally.allowed && tally.orgAbsentOrOther,
    },
  };
}

const OPEN_LIST: AccessList = { any: true, allowed: [], denied: [] };
const CLOSED_LIST: AccessList = { any: false, allowed: [], denied: [] };

function withoutPolicy(network: Network): PolicyAnalysis {
  const isPrivate = network === 'private';
  const list = isPrivate ? CLOSED_LIST : OPEN_LIST;
  return {
    hasPolicy: false,
    audience: isPrivate ? 'nobody' : 'anyone',
    anonymous: !isPrivate,
    ...(isPrivate
      ? { vpcs: list, vpcEndpoints: list, vpcSourceIps: list }
      : { sourceIps: list }),
    principals: list,
    organizations: list,
    statements: [],
    scopes: [],
    findings: [
      isPrivate
        ? {
            severity: 'error',
            code: 'no-policy',
            message:
              'A private API without a resource policy rejects every call, and API Gateway will not deploy it.',
            statements: [],
          }
        : {
            severity: 'info',
            code: 'no-policy',
            message:
              'No resource policy: the authorizers, IAM and API keys alone decide who may call.',
            statements: [],
          },
    ],
  };
}

function clauseStatements(policy: ResourcePolicy, keys: string[]): number[] {
  return policy.statements
    .filter(s => s.conditions.some(c => keys.includes(c.key.toLowerCase())))
    .map(s => s.index);
}

function labels(policy: ResourcePolicy, indexes: Iterable<number>): string {
  return [...indexes].map(i => statementLabel(policy.statements[i])).join(', ');
}

interface StatementStats {
  applied: boolean;
  effective: boolean;
  overriddenBy: Set<number>;
}

function findings(
  policy: ResourcePolicy,
  summary: PolicyAccessSummary,
  stats: StatementStats[],
  options: AnalyzeOptions & { network: Network; apiAccount: string },
  complete: boolean,
): PolicyFinding[] {
  const found: PolicyFinding[] = [];
  const add = (
    severity: PolicyFinding['severity'],
    code: PolicyFindingCode,
    message: string,
    statements: number[] = [],
  ) => found.push({ severity, code, message, statements });
  const api = parseApiArn(options.apiArn, 'options.apiArn');
  const unknown = unknownOperators(policy);
  const unevaluated = new Set(unknown.map(u => u.statement));

  if (summary.audience === 'nobody') {
    const applied = (effect: 'Allow' | 'Deny') =>
      policy.statements
        .filter(s => s.effect === effect && stats[s.index].applied)
        .map(s => s.index);
    const denies = applied('Deny');
    add(
      'error',
      'nobody-can-call',
      applied('Allow').length
        ? `No call can pass this policy: ${labels(
            policy,
            denies,
          )} deny every call that an Allow lets in.`
        : 'No call can pass this policy: no Allow statement applies to calls of this API (implicit deny).',
      denies,
    );
  }
  if (options.network === 'private' && summary.audience === 'anyone') {
    add(
      'warning',
      'open-to-any-vpc-endpoint',
      `The policy restricts neither VPCs nor VPC endpoints: any execute-api endpoint in ${api.region}, in any AWS account, can reach this API.`,
    );
  }
  for (const statement of policy.statements) {
    const stat = stats[statement.index];
    if (unevaluated.has(statement.index)) continue;
    if (statement.effect === 'Allow' && stat.applied && !stat.effective) {
      add(
        'warning',
        'allow-overridden-by-deny',
        `${statementLabel(statement)} never takes effect: ${labels(
          policy,
          stat.overriddenBy,
        )} deny every call it allows.`,
        [statement.index, ...stat.overriddenBy],
      );
    } else if (!stat.applied) {
      add(
        'info',
        'statement-never-applies',
        `${statementLabel(
          statement,
        )} never applies to calls of this API: its principal, action, resource or conditions match none of them.`,
        [statement.index],
      );
    }
  }
  for (const { statement, operator } of unknown) {
    add(
      'warning',
      'unknown-operator',
      `${statementLabel(
        policy.statements[statement],
      )} uses the condition operator "${operator}", which this analysis does not evaluate: the statement is treated as not applying, so the real access may differ.`,
      [statement],
    );
  }
  const unmodelled = [
    ...new Set(
      policy.statements.flatMap(s =>
        s.conditions.filter(c => !isModelledKey(c.key)).map(c => c.key),
      ),
    ),
  ];
  if (unmodelled.length) {
    add(
      'info',
      'unmodelled-condition-key',
      `The condition keys ${unmodelled.join(
        ', ',
      )} are not modelled: the analysis treats them as absent from every call.`,
      policy.statements
        .filter(s => s.conditions.some(c => unmodelled.includes(c.key)))
        .map(s => s.index),
    );
  }
  if (options.network === 'private') {
    const sourceIp = clauseStatements(policy, [KEYS.sourceIp]);
    if (sourceIp.length) {
      add(
        'warning',
        'source-ip-on-private-api',
        `${labels(
          policy,
          sourceIp,
        )} test aws:SourceIp, which calls through a VPC endpoint do not carry: IpAddress never matches them and NotIpAddress always does. Use aws:VpcSourceIp. ${describeAssumption(
          VERIFY_ASSUMPTIONS.sourceIpAbsentThroughVpcEndpoint,
        )}`,
        sourceIp,
      );
    }
    const associated = options.associatedVpcEndpointIds;
    if (associated) {
      for (const vpce of summary.vpcEndpoints?.allowed ?? []) {
        if (hasWildcard(vpce) || associated.includes(vpce)) continue;
        add(
          'warning',
          'vpce-not-associated',
          `${vpce} is allowed by the policy but not associated with the API, so its Route 53 alias ${route53AliasHost(
            api.apiId,
            vpce,
            api.region,
            api.partition,
          )} will not resolve; private DNS and the endpoint's own DNS name with a Host header still work.`,
          clauseStatements(policy, [KEYS.sourceVpce]),
        );
      }
    }
  } else {
    const vpcKeys = clauseStatements(policy, [
      KEYS.sourceVpc,
      KEYS.sourceVpce,
      KEYS.vpcSourceIp,
    ]);
    if (vpcKeys.length) {
      add(
        'warning',
        'vpc-keys-on-public-api',
        `${labels(
          policy,
          vpcKeys,
        )} test aws:SourceVpc, aws:SourceVpce or aws:VpcSourceIp, which only calls to private APIs carry: a positive operator never matches and a negated one always does.`,
        vpcKeys,
      );
    }
  }
  const foreign = summary.principals.allowed.filter(p => {
    const account = accountOfPrincipal(p);
    return account && account !== options.apiAccount;
  });
  if (foreign.length) {
    add(
      'info',
      'cross-account-principals',
      `${foreign.join(', ')} ${
        foreign.length > 1 ? 'are' : 'is'
      } in another account: its own IAM policy must also allow execute-api:Invoke.`,
    );
  }
  if (!complete) {
    add(
      'info',
      'analysis-truncated',
      'The policy names so many values that the analysis stopped early; the lists may be incomplete.',
    );
  }
  return found;
}

/**
 * Summarizes a resource policy for one API: who may call it, per dimension, whether stages
 * or methods differ, and findings (a private API without a policy, an Allow that a Deny
 * overrides, an allowed endpoint that is not associated, keys that calls never carry, ...).
 *
 * @throws PolicyParseError when the policy text is not a valid policy.
 * @throws InvalidArgumentError when `apiArn` is not an API's execute-api ARN.
 */
export function analyzeResourcePolicy(
  policy: ResourcePolicy | string | undefined,
  options: AnalyzeOptions,
): PolicyAnalysis {
  const api = parseApiArn(options.apiArn, 'options.apiArn');
  const network: Network =
    (options.endpointType ?? 'PRIVATE') === 'PRIVATE' ? 'private' : 'public';
  if (policy === undefined || (typeof policy === 'string' && !policy.trim())) {
    return withoutPolicy(network);
  }
  const parsed = toResourcePolicy(policy);
  const space = buildProbeSpace(parsed, {
    apiArn: options.apiArn,
    apiAccount: api.accountId,
    network,
    stages: options.stages,
  });
  const answers = answerSpace(parsed, space);
  const tallies = new Map<ResourceSample, Tally>(
    answers.resources.map(access => [access.resource, tallyOf(access)]),
  );
  const stats: StatementStats[] = parsed.statements.map((_, i) => ({
    applied: answers.applied[i],
    effective: answers.effective[i],
    overriddenBy: new Set(answers.overriddenBy[i]),
  }));
  const complete = answers.complete;

  const summary = summarize(merge([...tallies.values()]), space);
  const byAccess = new Map<string, PolicyScope>();
  for (const [resource, tally] of tallies) {
    const scoped = summarize(tally, space);
    const key = JSON.stringify(scoped);
    const scope = byAccess.get(key) ?? { ...scoped, resources: [] };
    scope.resources.push(resource.label);
    byAccess.set(key, scope);
  }
  return {
    hasPolicy: true,
    ...summary,
    statements: parsed.statements.map(s => ({
      index: s.index,
      sid: s.sid,
      effect: s.effect,
      description: describeStatement(s, options.apiArn),
    })),
    scopes: byAccess.size > 1 ? [...byAccess.values()] : [],
    findings: findings(
      parsed,
      summary,
      stats,
      { ...options, network, apiAccount: api.accountId },
      complete,
    ),
  };
}
