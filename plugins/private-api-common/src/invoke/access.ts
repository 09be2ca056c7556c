/**
 * Does an API's resource policy let calls through one VPC endpoint in? The answer the invoke
 * options and the reachability check share, with the fix when it does not.
 */
import { InvalidArgumentError, PolicyParseError } from '../errors';
import { ApiRecord } from '../inventory/types';
import { grantVpcAccess } from '../policy/change';
import { evaluateAccess } from '../policy/evaluate';
import { toResourcePolicy } from '../policy/parse';
import { findAllowedCall } from '../policy/space';
import { ResourcePolicy } from '../policy/types';

/** The resource policy's answer for calls through one endpoint. */
export interface EndpointAccess {
  /**
   * - `allowed`: unsigned calls pass;
   * - `signed-only`: only the signed callers the policy names pass;
   * - `denied`: no call passes;
   * - `unknown`: the policy cannot be read, or uses an operator this package does not evaluate.
   */
  verdict: 'allowed' | 'signed-only' | 'denied' | 'unknown';
  message: string;
  /** What would let the endpoint in, when it is denied. */
  fix?: string;
}

/** The last line of an explanation: the verdict with the statements that decided it. */
function verdictLine(explanation: string[]): string {
  return explanation[explanation.length - 1];
}

function grantFix(
  api: ApiRecord,
  policy: ResourcePolicy | undefined,
  endpoint: { vpcEndpointId: string; vpcId: string },
): string {
  // Follow the policy's pattern: grant the VPC where the policy lists VPCs, else the endpoint.
  const listsVpcs = policy?.statements.some(s =>
    s.conditions.some(c => c.key.toLowerCase() === 'aws:sourcevpc'),
  );
  const listsEndpoints = policy?.statements.some(s =>
    s.conditions.some(c => c.key.toLowerCase() === 'aws:sourcevpce'),
  );
  const grant =
    listsVpcs && !listsEndpoints
      ? { vpcId: endpoint.vpcId }
      : { vpceId: endpoint.vpcEndpointId };
  try {
    const change = grantVpcAccess(policy, grant, { apiArn: api.executeApiArn });
    const who = grant.vpcId ?? grant.vpceId;
    return change.changed
      ? `Request access for ${who}: the owner's policy change lets calls from it in. ${change.changes.join(
          ' ',
        )}`
      : `Ask the API owner: ${change.summary}`;
  } catch (error) {
    // An id the grant refuses (not of the vpc-/vpce- form): the owner decides by hand.
    if (!(error instanceof InvalidArgumentError)) throw error;
    return `Ask the API owner to allow ${endpoint.vpcEndpointId} in the resource policy.`;
  }
}

/** Checks the API's resource policy for calls through the endpoint (from its VPC). */
export function endpointAccess(
  api: ApiRecord,
  endpoint: { vpcEndpointId: string; vpcId: string },
): EndpointAccess {
  const through = `${endpoint.vpcEndpointId} (${endpoint.vpcId})`;
  if (!api.policy?.trim()) {
    return {
      verdict: 'denied',
      message:
        'The API has no resource policy, and a private API without one rejects every call.',
      fix: grantFix(api, undefined, endpoint),
    };
  }
  let policy: ResourcePolicy;
  try {
    policy = toResourcePolicy(api.policy);
  } catch (error) {
    if (!(error instanceof PolicyParseError)) throw error;
    return {
      verdict: 'unknown',
      message: `The resource policy cannot be read: ${error.message}`,
    };
  }
  const filter = {
    sourceVpc: endpoint.vpcId,
    sourceVpce: endpoint.vpcEndpointId,
  };
  const unsigned = findAllowedCall(policy, api.executeApiArn, {
    ...filter,
    anonymousOnly: true,
  });
  if (unsigned) {
    return {
      verdict: 'allowed',
      message: `The resource policy lets unsigned calls through ${through} in. ${verdictLine(
        evaluateAccess(policy, unsigned.request).explanation,
      )}`,
    };
  }
  const signed = findAllowedCall(policy, api.executeApiArn, filter);
  if (signed) {
    return {
      verdict: 'signed-only',
      message: `The resource policy lets only signed callers it names in through ${through}, such as ${
        signed.principal.members.join(', ') || signed.principal.principal
      }: sign the request with SigV4 as one of them.`,
    };
  }
  const denied = evaluateAccess(policy, {
    resource: `${api.executeApiArn}/${api.stages[0]?.stageName ?? '*'}/GET/`,
    ...filter,
  });
  if (denied.unevaluated.length) {
    return {
      verdict: 'unknown',
      message: `The resource policy uses a condition operator this check does not evaluate, so whether it lets ${through} in is unknown. ${denied.explanation.join(
        ' ',
      )}`,
    };
  }
  return {
    verdict: 'denied',
    message: `The resource policy denies calls through ${through}. ${verdictLine(
      denied.explanation,
    )}`,
    fix: grantFix(api, policy, endpoint),
  };
}
