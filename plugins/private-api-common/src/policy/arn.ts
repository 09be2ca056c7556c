/**
 * execute-api ARNs: `arn:{partition}:execute-api:{region}:{account}:{apiId}/{stage}/{METHOD}/{path}`
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/arn-format-reference.html), the console shorthand `execute-api:/...`, and ARN pattern matching.
 */
import { InvalidArgumentError } from '../errors';
import { memoize } from './memo';
import { wildcardMatch } from './wildcard';

/** The console shorthand for "this API"; API Gateway stores it expanded to a full ARN. */
const SHORTHAND = 'execute-api:';

/** The parts of an API's execute-api ARN (the prefix of every invoke ARN of the API). */
export interface ExecuteApiArn {
  partition: string;
  region: string;
  accountId: string;
  apiId: string;
}

/**
 * Splits an ARN into its six colon-separated parts; the last part (the resource) keeps any
 * further colons. Undefined when the text is not an ARN.
 */
export const splitArn = memoize(splitArnOnce);

function splitArnOnce(arn: string): string[] | undefined {
  if (!arn.startsWith('arn:')) return undefined;
  const parts: string[] = [];
  let rest = arn;
  for (let i = 0; i < 5; i++) {
    const colon = rest.indexOf(':');
    if (colon < 0) return undefined;
    parts.push(rest.slice(0, colon));
    rest = rest.slice(colon + 1);
  }
  parts.push(rest);
  return parts;
}

/** Reads `arn:{partition}:execute-api:{region}:{account}:{apiId}`; throws when it is not one. */
export function parseApiArn(
  apiArn: string,
  argument = 'apiArn',
): ExecuteApiArn {
  const parts = splitArn(apiArn);
  if (
    !parts ||
    parts[2] !== 'execute-api' ||
    !parts[1] ||
    !parts[3] ||
    !/^\d{12}$/.test(parts[4]) ||
    !/^[A-Za-z0-9]+$/.test(parts[5])
  ) {
    throw new InvalidArgumentError(
      argument,
      `expected arn:{partition}:execute-api:{region}:{12-digit account}:{apiId}, got "${apiArn}"`,
    );
  }
  return {
    partition: parts[1],
    region: parts[3],
    accountId: parts[4],
    apiId: parts[5],
  };
}

/** The ARN of one call: `{apiArn}/{stage}/{METHOD}/{path without the leading slash}`. */
export function invokeArn(
  apiArn: string,
  stage: string,
  method: string,
  path: string,
): string {
  return `${apiArn}/${stage}/${method}/${path.replace(/^\//, '')}`;
}

/**
 * Expands the console shorthand `execute-api:/...` against the ARN being matched: the
 * shorthand means "this API" (or, in a custom domain's policy, "this domain"), so it takes
 * the partition, Region, account and API id of that ARN.
 */
function expandShorthand(pattern: string, resourceArn: string): string {
  if (!pattern.startsWith(`${SHORTHAND}/`)) return pattern;
  const parts = splitArn(resourceArn);
  if (!parts) return pattern;
  const owner = parts[5].split('/')[0];
  return `${parts.slice(0, 5).join(':')}:${owner}${pattern.slice(
    SHORTHAND.length,
  )}`;
}

/** Writes a full ARN of the given API back in the console shorthand, for display. */
export function toShorthand(pattern: string, apiArn: string): string {
  return pattern.startsWith(`${apiArn}/`)
    ? `${SHORTHAND}${pattern.slice(apiArn.length)}`
    : pattern;
}

/**
 * IAM ARN matching (Resource, ArnLike, ArnEquals): each of the six colon-separated parts is
 * matched on its own, so a wildcard in the Region cannot swallow the account. A pattern that
 * is not a six-part ARN (e.g. `*`) is matched as a whole.
 */
export function arnMatches(pattern: string, arn: string): boolean {
  const patternParts = splitArn(pattern);
  const arnParts = splitArn(arn);
  if (!patternParts || !arnParts) return wildcardMatch(pattern, arn);
  return patternParts.every((part, i) => wildcardMatch(part, arnParts[i]));
}

/** Matches a Resource pattern (full ARN, shorthand or `*`) against the ARN of a call. */
export function resourceMatches(pattern: string, resourceArn: string): boolean {
  return arnMatches(expandShorthand(pattern, resourceArn), resourceArn);
}

/**
 * True when the pattern matches every call of the API (`*`, `execute-api:/*`,
 * `{apiArn}/*`, `arn:aws:execute-api:*:*:*`, ...). Sound rather than complete: the pattern
 * must end in `*` and the part before it must match a prefix of `{apiArn}/` exactly, so
 * whatever follows that prefix is absorbed by the final `*`.
 */
export function coversWholeApi(pattern: string, apiArn: string): boolean {
  const expanded = expandShorthand(pattern, `${apiArn}/`);
  if (!expanded.endsWith('*')) return false;
  const head = expanded.slice(0, -1);
  const full = `${apiArn}/`;
  for (let length = 0; length <= full.length; length++) {
    if (arnMatches(head, full.slice(0, length))) return true;
  }
  return false;
}

/** The account id of a principal given as an account id or an IAM/STS ARN. */
export function accountOfPrincipal(principal: string): string | undefined {
  if (/^\d{12}$/.test(principal)) return principal;
  const parts = splitArn(principal);
  return parts && /^\d{12}$/.test(parts[4]) ? parts[4] : undefined;
}
