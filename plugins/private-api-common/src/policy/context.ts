/**
 * The request context as IAM sees it: the condition keys this package models, and how a
 * statement's Principal / NotPrincipal is matched against the caller.
 */
import { accountOfPrincipal, splitArn } from './arn';
import {
  AccessRequestContext,
  PrincipalEntry,
  PrincipalMatcher,
} from './types';

/** An unsigned request: no principal, `'*'` or an empty string. */
export function isAnonymous(principal: string | undefined): boolean {
  return principal === undefined || principal === '' || principal === '*';
}

/**
 * The IAM ARN a principal is known by in policies: an assumed-role session
 * (`arn:aws:sts::{account}:assumed-role/{role}/{session}`) is its role, as aws:PrincipalArn
 * reports it.
 */
function policyArnOf(principal: string): string | undefined {
  const parts = splitArn(principal);
  if (!parts) return undefined;
  const session = /^assumed-role\/([^/]+)\/.+$/.exec(parts[5]);
  if (parts[2] === 'sts' && session) {
    return `arn:${parts[1]}:iam::${parts[4]}:role/${session[1]}`;
  }
  return principal;
}

/** Condition keys (lower-cased: IAM compares key names case-insensitively) and their values. */
const CONTEXT_KEYS: Record<
  string,
  (request: AccessRequestContext) => string | undefined
> = {
  'aws:sourcevpc': r => r.sourceVpc,
  'aws:sourcevpce': r => r.sourceVpce,
  'aws:sourceip': r => r.sourceIp,
  'aws:vpcsourceip': r => r.vpcSourceIp,
  'aws:principalaccount': r =>
    r.principalAccount ??
    (isAnonymous(r.principal) ? undefined : accountOfPrincipal(r.principal!)),
  'aws:principalorgid': r => r.principalOrgId,
  'aws:principalarn': r =>
    isAnonymous(r.principal) ? undefined : policyArnOf(r.principal!),
};

/** True for a condition key this package can read from a request. */
export function isModelledKey(key: string): boolean {
  return Object.hasOwn(CONTEXT_KEYS, key.toLowerCase());
}

/** The request's value of a condition key; undefined when absent or not modelled. */
export function contextValue(
  request: AccessRequestContext,
  key: string,
): string | undefined {
  const lower = key.toLowerCase();
  return Object.hasOwn(CONTEXT_KEYS, lower)
    ? CONTEXT_KEYS[lower](request)
    : undefined;
}

/** The account of an `AWS` principal entry given as an account id or `arn:...:iam::{account}:root`. */
export function entryAccount(value: string): string | undefined {
  if (/^\d{12}$/.test(value)) return value;
  const parts = splitArn(value);
  return parts && parts[2] === 'iam' && parts[5] === 'root'
    ? parts[4]
    : undefined;
}

/**
 * Does one principal entry name the caller? `*` names everyone, anonymous callers included;
 * an account (id or root ARN) names every signed caller of that account; a user or role ARN
 * names that identity (and its sessions).
 */
function entryMatches(entry: PrincipalEntry, principal: string | undefined) {
  if (entry.value === '*') return true;
  if (isAnonymous(principal)) return false;
  if (entry.type !== 'AWS') return entry.value === principal;
  const account = entryAccount(entry.value);
  if (account) return accountOfPrincipal(principal!) === account;
  return policyArnOf(entry.value) === policyArnOf(principal!);
}

/** Principal: some entry names the caller; NotPrincipal: none does. */
export function principalMatches(
  matcher: PrincipalMatcher,
  principal: string | undefined,
): boolean {
  const named = matcher.entries.some(e => entryMatches(e, principal));
  return matcher.negated ? !named : named;
}
