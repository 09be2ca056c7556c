/**
 * Resource policies as API Gateway stores and returns them.
 *
 * AWS-FACTS §1: the `policy` string comes back escaped once more than JSON needs: after
 * the SDK has parsed the response the caller still sees `{\"Version\":...}` and `\/` for
 * `/`. We store plain compact JSON and escape on the way out, so every read path answers
 * the same way a real API Gateway does.
 */
export function escapePolicy(policy: string): string {
  return policy.replace(/"/g, '\\"').replace(/\//g, '\\/');
}

/**
 * Turns a policy given as an object or JSON string into compact JSON, expanding the
 * console shorthand `execute-api:/stage/METHOD/path` to the full execute-api ARN, as
 * API Gateway does when it stores the policy.
 *
 * @throws SyntaxError when the string is not JSON
 */
export function normalizePolicy(
  policy: string | Record<string, unknown>,
  arnPrefix: string,
): string {
  const document = typeof policy === 'string' ? JSON.parse(policy) : policy;
  return JSON.stringify(document, (key, value) => {
    if (key !== 'Resource' && key !== 'NotResource') return value;
    const expand = (resource: unknown) =>
      typeof resource === 'string' && resource.startsWith('execute-api:/')
        ? `${arnPrefix}${resource.slice('execute-api:'.length)}`
        : resource;
    return Array.isArray(value) ? value.map(expand) : expand(value);
  });
}

/** `arn:{partition}:execute-api:{region}:{account}:{apiId}`: the prefix of invoke ARNs. */
export function executeApiArn(
  partition: string,
  region: string,
  accountId: string,
  apiId: string,
): string {
  return `arn:${partition}:execute-api:${region}:${accountId}:${apiId}`;
}
