/**
 * Reads a resource policy as API Gateway returns it (escaped once more), as plain JSON text
 * or as an object, validates it as an IAM policy and normalizes its statements. Any problem
 * becomes a PolicyParseError that names the element at fault.
 */
import { PolicyParseError } from '../errors';
import { parseOperator } from './conditions';
import { parseIpRange } from './ip';
import {
  ConditionClause,
  PatternList,
  PolicyDocument,
  PolicyStatement,
  PrincipalEntry,
  PrincipalMatcher,
  PrincipalType,
  ResourcePolicy,
} from './types';

const POLICY_ELEMENTS = ['Version', 'Id', 'Statement'];
const STATEMENT_ELEMENTS = [
  'Sid',
  'Effect',
  'Principal',
  'NotPrincipal',
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'Condition',
];
const PRINCIPAL_TYPES: PrincipalType[] = [
  'AWS',
  'Service',
  'Federated',
  'CanonicalUser',
];
const POLICY_VERSIONS = ['2012-10-17', '2008-10-17'];

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

type JsonResult = { ok: true; value: unknown } | { ok: false; message: string };

function readJson(text: string): JsonResult {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
}

/**
 * Undoes API Gateway's extra escaping (`{\"Version\":...\/*\"}`, https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-resource-policies-create-attach.html). Reading
 * the text as the body of a JSON string undoes every escape at once (`\"`, `\/`, `\\`,
 * `\n`); when the text also holds raw line breaks that trick fails, so fall back to the two
 * escapes AWS is documented to add.
 */
function unescapeOnce(text: string): string {
  const asString = readJson(`"${text}"`);
  if (asString.ok && typeof asString.value === 'string') return asString.value;
  return text.replace(/\\"/g, '"').replace(/\\\//g, '/');
}

function decodeText(text: string): unknown {
  const trimmed = text.trim();
  if (trimmed === '') throw new PolicyParseError('', 'the policy is empty');
  let parsed = readJson(trimmed);
  if (!parsed.ok) {
    const unescaped = readJson(unescapeOnce(trimmed));
    if (!unescaped.ok) {
      throw new PolicyParseError(
        '',
        `the policy is not valid JSON (${parsed.message})`,
      );
    }
    parsed = unescaped;
  }
  // A policy serialized twice (a JSON string holding the JSON text): read the inner text.
  if (typeof parsed.value === 'string') {
    const inner = readJson(parsed.value);
    if (!inner.ok) {
      throw new PolicyParseError(
        '',
        `the policy is a JSON string that does not hold a JSON policy (${inner.message})`,
      );
    }
    return inner.value;
  }
  return parsed.value;
}

/** A copy of an object policy as JSON data, so later edits never touch the caller's object. */
function copyObject(raw: object): unknown {
  try {
    return JSON.parse(JSON.stringify(raw));
  } catch (error) {
    throw new PolicyParseError(
      '',
      `the policy object cannot be represented as JSON (${
        (error as Error).message
      })`,
    );
  }
}

function checkElements(
  value: Record<string, unknown>,
  allowed: string[],
  path: string,
) {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      throw new PolicyParseError(
        path ? `${path}.${key}` : key,
        `unknown element; expected one of ${allowed.join(', ')}`,
      );
    }
  }
}

function readStringList(value: unknown, path: string): string[] {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0) {
    throw new PolicyParseError(
      path,
      'expected at least one value, got an empty list',
    );
  }
  for (const item of list) {
    if (typeof item !== 'string') {
      throw new PolicyParseError(
        path,
        `expected a string or list of strings, got ${typeName(item)}`,
      );
    }
  }
  return list as string[];
}

/** Exactly one of a positive element and its Not- form must be present. */
function readPair(
  statement: Record<string, unknown>,
  positive: string,
  path: string,
): { negated: boolean; value: unknown } {
  const negative = `Not${positive}`;
  const hasPositive = statement[positive] !== undefined;
  const hasNegative = statement[negative] !== undefined;
  if (hasPositive && hasNegative) {
    throw new PolicyParseError(
      path,
      `has both ${positive} and ${negative}; use one of them`,
    );
  }
  if (!hasPositive && !hasNegative) {
    throw new PolicyParseError(
      path,
      `needs ${positive} or ${negative} (a resource policy statement names both)`,
    );
  }
  return hasPositive
    ? { negated: false, value: statement[positive] }
    : { negated: true, value: statement[negative] };
}

function readPatterns(
  statement: Record<string, unknown>,
  positive: string,
  path: string,
): PatternList {
  const { negated, value } = readPair(statement, positive, path);
  const element = `${path}.${negated ? `Not${positive}` : positive}`;
  return { negated, patterns: readStringList(value, element) };
}

function readPrincipal(
  statement: Record<string, unknown>,
  path: string,
): PrincipalMatcher {
  const { negated, value } = readPair(statement, 'Principal', path);
  const element = `${path}.${negated ? 'NotPrincipal' : 'Principal'}`;
  if (value === '*') return { negated, entries: [{ type: 'AWS', value: '*' }] };
  if (!isPlainObject(value)) {
    throw new PolicyParseError(
      element,
      `expected "*" or an object such as {"AWS": "arn:aws:iam::111122223333:root"}, got ${
        typeof value === 'string' ? `"${value}"` : typeName(value)
      }`,
    );
  }
  checkElements(value, PRINCIPAL_TYPES, element);
  const entries: PrincipalEntry[] = [];
  for (const type of PRINCIPAL_TYPES) {
    if (value[type] === undefined) continue;
    for (const item of readStringList(value[type], `${element}.${type}`)) {
      entries.push({ type, value: item });
    }
  }
  if (entries.length === 0) {
    throw new PolicyParseError(element, 'names no principal');
  }
  return { negated, entries };
}

/** Reads the values of one condition key, checked against what its operator compares. */
function readConditionValues(
  operatorName: string,
  value: unknown,
  path: string,
): string[] {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0) {
    throw new PolicyParseError(
      path,
      'expected at least one value, got an empty list',
    );
  }
  const operator = parseOperator(operatorName);
  const family = operator?.family;
  return list.map(item => {
    if (family === 'bool' || family === 'null') {
      const text = typeof item === 'boolean' ? String(item) : item;
      if (typeof text !== 'string' || !/^(true|false)$/i.test(text)) {
        throw new PolicyParseError(
          path,
          `expected true or false, got ${
            typeof item === 'string' ? `"${item}"` : typeName(item)
          }`,
        );
      }
      return text.toLowerCase();
    }
    if (family) {
      if (typeof item !== 'string') {
        throw new PolicyParseError(
          path,
          `expected a string or list of strings, got ${typeName(item)}`,
        );
      }
      if (family === 'ip' && !parseIpRange(item)) {
        throw new PolicyParseError(
          path,
          `"${item}" is not an IPv4 or IPv6 address or CIDR range`,
        );
      }
      return item;
    }
    // An operator this package does not know: keep scalar values so the evaluator can
    // report the operator instead of the policy being rejected.
    if (!['string', 'number', 'boolean'].includes(typeof item)) {
      throw new PolicyParseError(
        path,
        `expected a string, number or boolean, got ${typeName(item)}`,
      );
    }
    return String(item);
  });
}

function readCondition(value: unknown, path: string): ConditionClause[] {
  if (value === undefined) return [];
  if (!isPlainObject(value)) {
    throw new PolicyParseError(
      path,
      `expected an object of condition operators, got ${typeName(value)}`,
    );
  }
  const clauses: ConditionClause[] = [];
  for (const [operator, block] of Object.entries(value)) {
    const operatorPath = `${path}.${operator}`;
    if (!isPlainObject(block)) {
      throw new PolicyParseError(
        operatorPath,
        `expected an object of condition keys, got ${typeName(block)}`,
      );
    }
    if (Object.keys(block).length === 0) {
      throw new PolicyParseError(operatorPath, 'names no condition key');
    }
    for (const [key, values] of Object.entries(block)) {
      clauses.push({
        operator,
        key,
        values: readConditionValues(operator, values, `${operatorPath}.${key}`),
      });
    }
  }
  return clauses;
}

function readStatement(
  value: unknown,
  path: string,
  index: number,
): PolicyStatement {
  if (!isPlainObject(value)) {
    throw new PolicyParseError(
      path,
      `expected an object, got ${typeName(value)}`,
    );
  }
  checkElements(value, STATEMENT_ELEMENTS, path);
  if (value.Sid !== undefined && typeof value.Sid !== 'string') {
    throw new PolicyParseError(
      `${path}.Sid`,
      `expected a string, got ${typeName(value.Sid)}`,
    );
  }
  if (value.Effect !== 'Allow' && value.Effect !== 'Deny') {
    throw new PolicyParseError(
      `${path}.Effect`,
      value.Effect === undefined
        ? 'is missing; expected "Allow" or "Deny"'
        : `expected "Allow" or "Deny", got ${JSON.stringify(value.Effect)}`,
    );
  }
  return {
    index,
    sid: value.Sid,
    effect: value.Effect,
    principal: readPrincipal(value, path),
    action: readPatterns(value, 'Action', path),
    resource: readPatterns(value, 'Resource', path),
    conditions: readCondition(value.Condition, `${path}.Condition`),
  };
}

function readDocument(value: unknown): ResourcePolicy {
  if (!isPlainObject(value)) {
    throw new PolicyParseError(
      '',
      `expected a policy object with a Statement, got ${typeName(value)}`,
    );
  }
  checkElements(value, POLICY_ELEMENTS, '');
  if (
    value.Version !== undefined &&
    !POLICY_VERSIONS.includes(value.Version as string)
  ) {
    throw new PolicyParseError(
      'Version',
      `expected "2012-10-17" or "2008-10-17", got ${JSON.stringify(
        value.Version,
      )}`,
    );
  }
  if (value.Id !== undefined && typeof value.Id !== 'string') {
    throw new PolicyParseError(
      'Id',
      `expected a string, got ${typeName(value.Id)}`,
    );
  }
  const statement = value.Statement;
  if (statement === undefined) {
    throw new PolicyParseError('Statement', 'is missing');
  }
  const statements = Array.isArray(statement)
    ? statement.map((s, i) => readStatement(s, `Statement[${i}]`, i))
    : [readStatement(statement, 'Statement', 0)];
  return { document: value as unknown as PolicyDocument, statements };
}

/**
 * Parses a resource policy: the string API Gateway returns (escaped once more, `\"` and
 * `\/`), plain JSON text, a JSON string holding the text, or a policy object. A single
 * statement object is accepted as well as a list.
 *
 * @throws PolicyParseError for anything that is not a valid policy, naming the element at fault.
 */
export function parseResourcePolicy(raw: string | object): ResourcePolicy {
  if (typeof raw === 'string') return readDocument(decodeText(raw));
  if (typeof raw === 'object' && raw !== null) {
    return readDocument(copyObject(raw));
  }
  throw new PolicyParseError(
    '',
    `expected the policy as JSON text or an object, got ${typeName(raw)}`,
  );
}

/** Accepts a parsed policy as is and parses anything else. */
export function toResourcePolicy(
  policy: ResourcePolicy | string | object,
): ResourcePolicy {
  if (
    isPlainObject(policy) &&
    Array.isArray(policy.statements) &&
    isPlainObject(policy.document)
  ) {
    return policy as unknown as ResourcePolicy;
  }
  return parseResourcePolicy(policy);
}

/** The policy as the JSON text API Gateway takes (UpdateRestApi `replace /policy`). */
export function serializePolicy(policy: ResourcePolicy): string {
  return JSON.stringify(policy.document);
}
