/**
 * Condition operators: which ones exist, how one clause is evaluated against the request's
 * value of its key, and IAM's rules for a key that is absent from the request.
 */
import { arnMatches } from './arn';
import { ipInRange, parseIpAddress, parseIpRange } from './ip';
import { memoize } from './memo';
import { ConditionClause } from './types';
import { wildcardMatch } from './wildcard';

/** How the values of an operator are compared. */
type OperatorFamily = 'string' | 'ip' | 'arn' | 'bool' | 'null';

type Comparison = 'exact' | 'ignore-case' | 'like' | 'ip' | 'arn' | 'bool';

interface BaseOperator {
  family: OperatorFamily;
  comparison: Comparison;
  /** The "Not" operators: true when no value matches. */
  negated: boolean;
}

/** The operators this evaluator knows. Anything else is reported, never guessed. */
const BASE_OPERATORS: Record<string, BaseOperator> = {
  StringEquals: { family: 'string', comparison: 'exact', negated: false },
  StringNotEquals: { family: 'string', comparison: 'exact', negated: true },
  StringEqualsIgnoreCase: {
    family: 'string',
    comparison: 'ignore-case',
    negated: false,
  },
  StringNotEqualsIgnoreCase: {
    family: 'string',
    comparison: 'ignore-case',
    negated: true,
  },
  StringLike: { family: 'string', comparison: 'like', negated: false },
  StringNotLike: { family: 'string', comparison: 'like', negated: true },
  IpAddress: { family: 'ip', comparison: 'ip', negated: false },
  NotIpAddress: { family: 'ip', comparison: 'ip', negated: true },
  ArnEquals: { family: 'arn', comparison: 'arn', negated: false },
  ArnLike: { family: 'arn', comparison: 'arn', negated: false },
  ArnNotEquals: { family: 'arn', comparison: 'arn', negated: true },
  ArnNotLike: { family: 'arn', comparison: 'arn', negated: true },
  Bool: { family: 'bool', comparison: 'bool', negated: false },
  // Null compares presence, not a value: handled on its own in evaluateClause.
  Null: { family: 'null', comparison: 'bool', negated: false },
};

/** A condition operator name taken apart: set qualifier, base operator, `IfExists`. */
export interface ConditionOperator extends BaseOperator {
  name: string;
  base: string;
  setQualifier?: 'ForAnyValue' | 'ForAllValues';
  ifExists: boolean;
}

/** Reads an operator name; undefined when this evaluator does not know it. */
export const parseOperator = memoize(parseOperatorOnce);

function parseOperatorOnce(name: string): ConditionOperator | undefined {
  let rest = name;
  let setQualifier: ConditionOperator['setQualifier'];
  for (const qualifier of ['ForAnyValue', 'ForAllValues'] as const) {
    if (rest.startsWith(`${qualifier}:`)) {
      setQualifier = qualifier;
      rest = rest.slice(qualifier.length + 1);
    }
  }
  const ifExists = rest.endsWith('IfExists');
  if (ifExists) rest = rest.slice(0, -'IfExists'.length);
  if (!Object.hasOwn(BASE_OPERATORS, rest)) return undefined;
  const base = BASE_OPERATORS[rest];
  // IAM has no NullIfExists and no set form of Null.
  if (base.family === 'null' && (ifExists || setQualifier)) return undefined;
  return { ...base, name, base: rest, setQualifier, ifExists };
}

/** Does one policy value match the request value (before the operator's negation)? */
const COMPARISONS: Record<
  Comparison,
  (policyValue: string, requestValue: string) => boolean
> = {
  exact: (p, v) => p === v,
  'ignore-case': (p, v) => p.toLowerCase() === v.toLowerCase(),
  bool: (p, v) => p.toLowerCase() === v.toLowerCase(),
  like: (p, v) => wildcardMatch(p, v),
  arn: (p, v) => arnMatches(p, v),
  ip: (p, v) => {
    const range = parseIpRange(p);
    const address = parseIpAddress(v);
    return !!range && !!address && ipInRange(address, range);
  },
};

/** True when any of the policy values matches the request value, ignoring negation. */
export function anyValueMatches(
  operator: ConditionOperator,
  policyValues: string[],
  requestValue: string,
): boolean {
  const compare = COMPARISONS[operator.comparison];
  return policyValues.some(p => compare(p, requestValue));
}

/** The result of one clause: true, false, or 'unknown' for an operator this evaluator does not know. */
export type ClauseOutcome = boolean | 'unknown';

/**
 * Evaluates one clause against the request's value of its key (undefined: the key is absent).
 * All the keys this package models are single-valued, so `ForAnyValue:` and `ForAllValues:`
 * see a set of one value or the empty set.
 */
export function evaluateClause(
  clause: ConditionClause,
  requestValue: string | undefined,
): ClauseOutcome {
  const operator = parseOperator(clause.operator);
  if (!operator) return 'unknown';
  if (operator.family === 'null') {
    // "Null": "true" holds when the key is absent, "false" when it is present.
    const absent = requestValue === undefined;
    return clause.values.some(v => (v.toLowerCase() === 'true') === absent);
  }
  if (requestValue === undefined) {
    // IAM: an empty set satisfies ForAllValues and no ForAnyValue; IfExists ignores an
    // absent key; otherwise an absent key fails a positive operator and passes a negated one.
    if (operator.setQualifier === 'ForAllValues') return true;
    if (operator.setQualifier === 'ForAnyValue') return false;
    if (operator.ifExists) return true;
    return operator.negated;
  }
  const matched = anyValueMatches(operator, clause.values, requestValue);
  return operator.negated ? !matched : matched;
}
