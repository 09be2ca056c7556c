/**
 * Evaluates a resource policy for one request with IAM's rules: an explicit Deny wins, then
 * any Allow, else the implicit deny. Explains the statements that mattered.
 */
import { InvalidArgumentError } from '../errors';
import { accountOfPrincipal, resourceMatches, splitArn } from './arn';
import { ClauseOutcome, evaluateClause, parseOperator } from './conditions';
import {
  contextValue,
  isAnonymous,
  isModelledKey,
  principalMatches,
} from './context';
import { parseIpAddress } from './ip';
import { toResourcePolicy } from './parse';
import {
  AccessDecision,
  AccessRequestContext,
  ConditionClause,
  PolicyStatement,
  ResourcePolicy,
} from './types';
import { wildcardMatch } from './wildcard';

/** The action of every API call; the default of a request that names none. */
export const INVOKE_ACTION = 'execute-api:Invoke';

/** `Statement[1] "Sid" (Deny)`: how statements are named in every explanation. */
export function statementLabel(statement: PolicyStatement): string {
  const sid = statement.sid ? ` "${statement.sid}"` : '';
  return `Statement[${statement.index}]${sid} (${statement.effect})`;
}

/** Does the statement name this principal, action and resource (conditions aside)? */
function statementTargets(
  statement: PolicyStatement,
  request: AccessRequestContext,
): boolean {
  const action = request.action ?? INVOKE_ACTION;
  // Action names are case-insensitive in IAM; ARNs are not.
  const actionNamed = statement.action.patterns.some(p =>
    wildcardMatch(p, action, true),
  );
  const resourceNamed = statement.resource.patterns.some(p =>
    resourceMatches(p, request.resource),
  );
  return (
    principalMatches(statement.principal, request.principal) &&
    actionNamed !== statement.action.negated &&
    resourceNamed !== statement.resource.negated
  );
}

function formatValues(values: string[]): string {
  return `[${values.map(v => JSON.stringify(v)).join(', ')}]`;
}

function explainClause(
  clause: ConditionClause,
  value: string | undefined,
  outcome: ClauseOutcome,
): string {
  const head = `${clause.operator} ${clause.key} ${formatValues(
    clause.values,
  )}`;
  if (outcome === 'unknown') {
    return `${head}: unknown condition operator "${clause.operator}", cannot be evaluated`;
  }
  let seen = `the request has ${JSON.stringify(value)}`;
  if (!isModelledKey(clause.key)) {
    seen = `${clause.key} is not modelled here and counts as absent`;
  } else if (value === undefined) {
    seen = `the request has no ${clause.key}`;
  }
  return `${head}: ${seen} → ${outcome}`;
}

/**
 * The combined outcome of a statement's conditions: any false clause settles it (and is the
 * one reason given), else any unknown one, else true (every clause is a reason).
 */
function conditionsOutcome(
  statement: PolicyStatement,
  request: AccessRequestContext,
  reasons: string[] | undefined,
): ClauseOutcome {
  const results = statement.conditions.map(clause => {
    const value = contextValue(request, clause.key);
    return { clause, value, outcome: evaluateClause(clause, value) };
  });
  const failed = results.find(r => r.outcome === false);
  const shown = failed ? [failed] : results;
  reasons?.push(...shown.map(r => explainClause(r.clause, r.value, r.outcome)));
  if (failed) return false;
  return results.some(r => r.outcome === 'unknown') ? 'unknown' : true;
}

function describeStatement(
  statement: PolicyStatement,
  outcome: ClauseOutcome,
  reasons: string[],
): string {
  const label = statementLabel(statement);
  if (outcome === 'unknown') {
    return `${label} cannot be evaluated: ${reasons
      .filter(r => r.includes('unknown condition operator'))
      .join(
        '; ',
      )}; it is treated as not applying, so the real decision may differ`;
  }
  if (!outcome) return `${label} does not apply: ${reasons[0]}`;
  return reasons.length === 0
    ? `${label} applies: it has no condition`
    : `${label} applies: ${reasons.join('; ')}`;
}

function verdict(
  decision: AccessDecision['decision'],
  policy: ResourcePolicy,
  allowedBy: number[],
  deniedBy: number[],
  request: AccessRequestContext,
): string[] {
  const names = (indexes: number[]) =>
    indexes.map(i => statementLabel(policy.statements[i])).join(', ');
  if (decision === 'explicit-deny') {
    return [
      `Denied: ${names(
        deniedBy,
      )} explicitly denies this request, and an explicit Deny overrides every Allow.`,
    ];
  }
  const apiAccount = splitArn(request.resource)?.[4];
  const callerAccount = isAnonymous(request.principal)
    ? undefined
    : request.principalAccount ?? accountOfPrincipal(request.principal!);
  if (decision === 'implicit-deny') {
    const lines = ['Denied: no statement allows this request (implicit deny).'];
    if (callerAccount && callerAccount === apiAccount) {
      lines.push(
        `The caller is in the API's own account ${apiAccount}: an Allow in its IAM policy is enough, since no statement denies it.`,
      );
    }
    return lines;
  }
  const lines = [`Allowed by ${names(allowedBy)}.`];
  if (callerAccount && apiAccount && callerAccount !== apiAccount) {
    lines.push(
      `The caller is in account ${callerAccount}, not ${apiAccount}: its own IAM policy must also allow ${INVOKE_ACTION}.`,
    );
  }
  return lines;
}

/**
 * The decision without the explanation: what the policy analysis runs thousands of times.
 * `explain` builds the explanation lines as well.
 */
export function decide(
  policy: ResourcePolicy,
  request: AccessRequestContext,
  explain: boolean,
): AccessDecision {
  const allowedBy: number[] = [];
  const deniedBy: number[] = [];
  const unevaluated: number[] = [];
  const explanation: string[] = [];
  for (const statement of policy.statements) {
    if (!statementTargets(statement, request)) continue;
    const reasons = explain ? [] : undefined;
    const outcome = conditionsOutcome(statement, request, reasons);
    if (outcome === true) {
      (statement.effect === 'Deny' ? deniedBy : allowedBy).push(
        statement.index,
      );
    } else if (outcome === 'unknown') {
      unevaluated.push(statement.index);
    }
    if (reasons)
      explanation.push(describeStatement(statement, outcome, reasons));
  }
  let decision: AccessDecision['decision'] = 'implicit-deny';
  if (deniedBy.length > 0) decision = 'explicit-deny';
  else if (allowedBy.length > 0) decision = 'allow';
  if (explain) {
    explanation.push(
      ...verdict(decision, policy, allowedBy, deniedBy, request),
    );
  }
  return { decision, allowedBy, deniedBy, unevaluated, explanation };
}

function checkRequest(request: AccessRequestContext) {
  if (typeof request?.resource !== 'string' || request.resource === '') {
    throw new InvalidArgumentError(
      'request.resource',
      'expected the execute-api ARN of the call',
    );
  }
  for (const field of ['sourceIp', 'vpcSourceIp'] as const) {
    const value = request[field];
    if (value !== undefined && !parseIpAddress(value)) {
      throw new InvalidArgumentError(
        `request.${field}`,
        `expected an IPv4 or IPv6 address, got ${JSON.stringify(value)}`,
      );
    }
  }
}

/**
 * Decides whether the resource policy lets the request through, with IAM's semantics.
 * Condition keys are case-insensitive; a key absent from the request fails a positive
 * operator and passes a negated one; an unknown operator is reported and its statement
 * treated as not applying.
 *
 * @throws PolicyParseError when the policy text is not a valid policy.
 * @throws InvalidArgumentError when the request has no resource or an invalid IP address.
 */
export function evaluateAccess(
  policy: ResourcePolicy | string,
  request: AccessRequestContext,
): AccessDecision {
  const parsed = toResourcePolicy(policy);
  checkRequest(request);
  return decide(parsed, request, true);
}

/** The clauses of the policy whose operator this evaluator does not know. */
export function unknownOperators(policy: ResourcePolicy): Array<{
  statement: number;
  operator: string;
}> {
  return policy.statements.flatMap(s =>
    s.conditions
      .filter(c => !parseOperator(c.operator))
      .map(c => ({ statement: s.index, operator: c.operator })),
  );
}
