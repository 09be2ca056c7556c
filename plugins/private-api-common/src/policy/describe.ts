/** Plain-language descriptions of statements, for the policy summary the UI shows. */
import { toShorthand } from './arn';
import { parseOperator } from './conditions';
import { ConditionClause, PolicyStatement } from './types';

function list(values: string[], joiner: string): string {
  if (values.length === 1) return values[0];
  return `${values.slice(0, -1).join(', ')} ${joiner} ${
    values[values.length - 1]
  }`;
}

/** `aws:SourceVpce is not vpce-1 or vpce-2`, `aws:VpcSourceIp is in 192.0.2.0/24`. */
function describeClause(clause: ConditionClause): string {
  const operator = parseOperator(clause.operator);
  const values = list(clause.values, 'or');
  if (!operator) {
    return `${clause.operator} ${clause.key} ${values} (unknown operator, not evaluated)`;
  }
  if (operator.family === 'null') {
    const absent = clause.values.some(v => v === 'true');
    return `${clause.key} is ${absent ? 'absent' : 'present'}`;
  }
  const verbs: Record<string, [string, string]> = {
    exact: ['is', 'is not'],
    'ignore-case': ['is (in any case)', 'is not (in any case)'],
    like: ['matches', 'does not match'],
    ip: ['is in', 'is not in'],
    arn: ['matches', 'does not match'],
    bool: ['is', 'is not'],
  };
  const verb = verbs[operator.comparison][operator.negated ? 1 : 0];
  const qualifiers = {
    ForAnyValue: 'any value of ',
    ForAllValues: 'every value of ',
  };
  const subject = `${
    operator.setQualifier ? qualifiers[operator.setQualifier] : ''
  }${clause.key}`;
  return `${subject} ${verb} ${values}${
    operator.ifExists ? ' (if present)' : ''
  }`;
}

/**
 * `Deny anyone execute-api:Invoke on execute-api:/* when aws:SourceVpce is not vpce-1`.
 * Resources of the given API are written in the console shorthand.
 */
export function describeStatement(
  statement: PolicyStatement,
  apiArn?: string,
): string {
  const principals = statement.principal.entries.map(e =>
    e.value === '*' ? 'anyone' : e.value,
  );
  let who = principals.includes('anyone') ? 'anyone' : list(principals, 'and');
  if (statement.principal.negated) {
    who = `everyone except ${list(principals, 'and')}`;
  }
  const actions = list(statement.action.patterns, 'and');
  const resources = list(
    statement.resource.patterns.map(p => (apiArn ? toShorthand(p, apiArn) : p)),
    'and',
  );
  const conditions = statement.conditions.length
    ? ` when ${statement.conditions.map(describeClause).join(' and ')}`
    : '';
  return `${statement.effect} ${who} ${
    statement.action.negated ? `every action except ${actions}` : actions
  } on ${
    statement.resource.negated ? `everything except ${resources}` : resources
  }${conditions}`;
}
