/**
 * Which VPC endpoints of the estate a resource policy lets in: the answer the reverse index
 * ("what can this VPC call?") stores for every private API and private custom domain.
 *
 * Endpoints the policy treats alike (neither their id nor their VPC named by any clause,
 * or named by the same clauses) get the same answer, so each API costs one evaluation per
 * class of endpoints, not one per endpoint of the estate.
 */
import { PolicyParseError } from '../errors';
import { ApiType, DomainRecord, VpcEndpointRecord } from '../inventory/types';
import { parseApiArn } from '../policy/arn';
import { evaluateClause } from '../policy/conditions';
import { decide, statementLabel } from '../policy/evaluate';
import { toResourcePolicy } from '../policy/parse';
import {
  buildProbeSpace,
  forEachProbe,
  KEYS,
  PrincipalSample,
  ProbeSpace,
  ValueClass,
} from '../policy/probe';
import { AccessDecision, ResourcePolicy } from '../policy/types';
import { domainUrl, executeApiHost, route53AliasHost, stageUrl } from './urls';

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

function fixed(value: string): ValueClass[] {
  return [{ sample: value, members: [value], other: false }];
}

/** The answer for calls from one VPC and endpoint (the classes of the space already narrowed). */
function admissionIn(
  policy: ResourcePolicy,
  space: ProbeSpace,
): CallerAdmission {
  const signed = new Map<string, string>();
  let anonymousReason: string | undefined;
  let firstDenied: AccessDecision | undefined;
  let unknown = false;
  forEachProbe(policy, space, (probe, decision) => {
    if (decision.unevaluated.length) unknown = true;
    if (decision.decision !== 'allow') {
      firstDenied ??= decision;
      return true;
    }
    if (probe.principal.principal === '*') {
      anonymousReason = reasonOf(policy, decision);
      return false;
    }
    const label = principalLabel(probe.principal, probe.org);
    if (!signed.has(label)) signed.set(label, reasonOf(policy, decision));
    return true;
  });
  if (anonymousReason)
    return { verdict: 'allowed', principals: [], reason: anonymousReason };
  if (signed.size) {
    return {
      verdict: 'signed-only',
      principals: [...signed.keys()],
      reason: [...new Set(signed.values())].join('; '),
    };
  }
  if (unknown) {
    return {
      verdict: 'unknown',
      principals: [],
      reason:
        'The policy uses a condition operator this evaluator does not know: whether it lets the endpoint in is unknown.',
    };
  }
  return {
    verdict: 'denied',
    principals: [],
    reason: firstDenied
      ? reasonOf(policy, firstDenied)
      : 'Denied: no statement allows it (implicit deny)',
  };
}

/** How every clause on the VPC and endpoint keys treats one endpoint: equal keys, equal answers. */
function classKey(
  policy: ResourcePolicy,
  vpcId: string,
  vpceId: string,
): string {
  const parts: string[] = [];
  for (const statement of policy.statements) {
    for (const clause of statement.conditions) {
      const key = clause.key.toLowerCase();
      if (key === KEYS.sourceVpc)
        parts.push(String(evaluateClause(clause, vpcId)));
      else if (key === KEYS.sourceVpce)
        parts.push(String(evaluateClause(clause, vpceId)));
    }
  }
  return parts.join();
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
  if (!policyText?.trim()) {
    return {
      unnamed: NO_POLICY,
      byEndpoint: new Map(endpoints.map(e => [e.vpcEndpointId, NO_POLICY])),
    };
  }
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
    return {
      unnamed: unreadable,
      byEndpoint: new Map(endpoints.map(e => [e.vpcEndpointId, unreadable])),
    };
  }
  const base = buildProbeSpace(policy, {
    apiArn,
    apiAccount: parseApiArn(apiArn).accountId,
    network: 'private',
  });
  const byClass = new Map<string, CallerAdmission>();
  const answer = (vpcs: ValueClass[], vpces: ValueClass[]) => {
    const key = classKey(policy, vpcs[0].sample, vpces[0].sample);
    let found = byClass.get(key);
    if (!found) {
      found = admissionIn(policy, { ...base, vpcs, vpces });
      byClass.set(key, found);
    }
    return found;
  };
  const unnamed = answer(
    base.vpcs.filter(c => c.other),
    base.vpces.filter(c => c.other),
  );
  const byEndpoint = new Map<string, CallerAdmission>();
  for (const e of endpoints) {
    byEndpoint.set(
      e.vpcEndpointId,
      answer(fixed(e.vpcId), fixed(e.vpcEndpointId)),
    );
  }
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
  const id = endpoint.vpcEndpointId;
  if (!domain.accessAssociations.some(a => a.vpcEndpointId === id)) {
    return {
      verdict: 'denied',
      principals: [],
      reason: `${id} has no domain name access association with ${domain.domainName}.`,
    };
  }
  if (!domain.policy?.trim()) {
    return {
      verdict: 'unknown',
      principals: [],
      reason: `The inventory has no policy for ${domain.domainName}.`,
    };
  }
  let policy: ResourcePolicy;
  try {
    policy = toResourcePolicy(domain.policy);
  } catch (error) {
    if (!(error instanceof PolicyParseError)) throw error;
    return {
      verdict: 'unknown',
      principals: [],
      reason: `The domain's policy cannot be read: ${error.message}`,
    };
  }
  const decision = decide(
    policy,
    {
      resource: domainExecuteApiArn(domain, partition),
      sourceVpc: endpoint.vpcId,
      sourceVpce: id,
    },
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
