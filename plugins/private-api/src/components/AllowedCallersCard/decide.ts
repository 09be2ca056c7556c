import {
  AccessRequestContext,
  ApiRecord,
  evaluateAccess,
  PolicyAnalysis,
  ResourcePolicy,
} from '@private-api-catalog/plugin-private-api-common';

/**
 * The statements that decide for calls carrying these network attributes, in the
 * evaluator's own words (the last line of its explanation). Unsigned first; when only signed
 * callers pass, as the first principal the policy allows.
 */
export function decidingStatements(
  policy: ResourcePolicy,
  api: ApiRecord,
  analysis: PolicyAnalysis,
  network: Pick<AccessRequestContext, 'sourceVpc' | 'sourceVpce'>,
): string {
  // The same sample call the invoke options use: the first stage, GET on the root.
  const resource = `${api.executeApiArn}/${
    api.stages[0]?.stageName ?? '*'
  }/GET/`;
  const last = (lines: string[]) => lines[lines.length - 1] ?? '';
  const unsigned = evaluateAccess(policy, { resource, ...network });
  if (unsigned.decision === 'allow') return last(unsigned.explanation);
  const principal = analysis.principals.allowed[0];
  if (principal) {
    const signed = evaluateAccess(policy, { resource, principal, ...network });
    if (signed.decision === 'allow') {
      return `Signed as ${principal}: ${last(signed.explanation)}`;
    }
  }
  return last(unsigned.explanation);
}
