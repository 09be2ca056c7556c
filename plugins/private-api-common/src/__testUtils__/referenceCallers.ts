/**
 * The estate index's answers computed the plain way: every sample request of an endpoint's
 * probe space decided one by one with `decide`, in enumeration order (resource, caller, VPC,
 * endpoint, IP), the first allowed one giving the reason. This was `policyCallersIn` before
 * it was compiled to statement masks; the tests hold the compiled one to it, answer for
 * answer (verdict, principals and reason). Too slow for large policies: tests only.
 */
import {
  CallerAdmission,
  CallerEndpoint,
  UNKNOWN_OPERATOR_REASON,
} from '../invoke/callers';
import { parseApiArn } from '../policy/arn';
import { statementLabel } from '../policy/evaluate';
import { toResourcePolicy } from '../policy/parse';
import {
  buildProbeSpace,
  forEachProbe,
  PrincipalSample,
  ValueClass,
} from '../policy/probe';
import { AccessDecision, ResourcePolicy } from '../policy/types';

function reasonOf(policy: ResourcePolicy, decision: AccessDecision): string {
  const labels = (indexes: number[]) =>
    indexes.map(i => statementLabel(policy.statements[i])).join(', ');
  if (decision.decision === 'allow')
    return `Allowed by ${labels(decision.allowedBy)}`;
  if (decision.decision === 'explicit-deny')
    return `Denied by ${labels(decision.deniedBy)}`;
  return 'Denied: no statement allows it (implicit deny)';
}

function principalLabel(sample: PrincipalSample, org?: ValueClass): string {
  let who = `signed callers of account ${sample.principal}`;
  if (sample.members.length) who = sample.members.join(', ');
  else if (sample.other) who = 'signed callers of any account';
  if (org?.members.length) who += ` in organization ${org.members.join(', ')}`;
  return who;
}

const fixed = (value: string): ValueClass[] => [
  { sample: value, members: [value], other: false },
];

/** The answer for calls through one endpoint (VPC and endpoint fixed), decided probe by probe. */
export function referenceAdmission(
  policyText: string,
  apiArn: string,
  endpoint: CallerEndpoint | 'unnamed',
): CallerAdmission {
  const policy = toResourcePolicy(policyText);
  const base = buildProbeSpace(policy, {
    apiArn,
    apiAccount: parseApiArn(apiArn).accountId,
    network: 'private',
  });
  const space = {
    ...base,
    vpcs:
      endpoint === 'unnamed'
        ? base.vpcs.filter(c => c.other)
        : fixed(endpoint.vpcId),
    vpces:
      endpoint === 'unnamed'
        ? base.vpces.filter(c => c.other)
        : fixed(endpoint.vpcEndpointId),
  };
  const signed = new Map<string, string>();
  let anonymousReason: string | undefined;
  let firstDenied: AccessDecision | undefined;
  let unknown = false;
  const complete = forEachProbe(policy, space, (probe, decision) => {
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
  if (!complete) throw new Error('The reference enumeration was cut short');
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
      reason: UNKNOWN_OPERATOR_REASON,
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
