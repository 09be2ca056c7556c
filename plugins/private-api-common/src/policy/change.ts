/**
 * The smallest resource-policy change that lets one more VPC or VPC endpoint in
 * (grantVpcAccess), or keeps one out (revokeVpcAccess), following the policy's own pattern.
 *
 * Every edit changes the outcome of calls that carry the granted (revoked) value, and of no
 * other call: IAM ANDs the clauses of a statement, so adding the value to a clause's list,
 * removing it, or adding a clause that only that value satisfies, moves exactly those calls.
 * The property tests check this over every combination of a pool of callers.
 */
import { AWS_ID_PATTERNS } from '../awsIds';
import { InvalidArgumentError } from '../errors';
import { coversWholeApi, parseApiArn } from './arn';
import {
  anyValueMatches,
  ConditionOperator,
  evaluateClause,
  parseOperator,
} from './conditions';
import { describeStatement } from './describe';
import { lineDiff } from './diff';
import { decide, INVOKE_ACTION, statementLabel } from './evaluate';
import { serializePolicy, toResourcePolicy } from './parse';
import { CallFilter, findAllowedCall, findLostAccess } from './space';
import {
  ConditionClause,
  ConditionDocument,
  PolicyDocument,
  PolicyStatement,
  PolicyStatementDocument,
  ResourcePolicy,
} from './types';
import { wildcardMatch } from './wildcard';

/** The VPC and/or VPC endpoint to let in or keep out. */
export interface VpcAccessGrant {
  /** `vpc-` followed by 8 or 17 hex digits. */
  vpcId?: string;
  /** `vpce-` followed by 8 or 17 hex digits. */
  vpceId?: string;
}

/** A proposed policy change, ready to review and apply. */
export interface PolicyChange {
  /** The policy after the change (the same policy when nothing changes). */
  policy: ResourcePolicy;
  /** The policy text for UpdateRestApi (`replace /policy`); undefined when there is no policy. */
  policyJson?: string;
  changed: boolean;
  /** What the change does, in one paragraph. */
  summary: string;
  /** One line per edit. */
  changes: string[];
  /** What else matters: what still blocks the caller, the redeployment it needs. */
  notes: string[];
  /** A line diff of the pretty-printed documents; empty when nothing changes. */
  diff: string;
}

/** The API the policy belongs to. */
export interface PolicyChangeOptions {
  /** `arn:{partition}:execute-api:{region}:{account}:{apiId}`. */
  apiArn: string;
  /**
   * Grant only these stages (`{apiArn}/{stage}/*`); empty or absent means every stage.
   * Ignored by revokeVpcAccess, which keeps the caller out of the whole API.
   */
  stages?: string[];
}

type VpcKey = 'aws:SourceVpc' | 'aws:SourceVpce';

interface Target {
  key: VpcKey;
  value: string;
  /** `VPC vpc-…` or `VPC endpoint vpce-…`, for messages. */
  label: string;
}

const REDEPLOY_NOTE =
  'A resource policy change takes effect only after a new deployment of every stage (CreateDeployment).';

function targetsOf(grant: VpcAccessGrant): Target[] {
  const targets: Target[] = [];
  if (grant?.vpcId !== undefined) {
    if (!AWS_ID_PATTERNS.vpcId.test(grant.vpcId)) {
      throw new InvalidArgumentError(
        'grant.vpcId',
        `expected vpc- followed by 8 or 17 hex digits, got ${JSON.stringify(
          grant.vpcId,
        )}`,
      );
    }
    targets.push({
      key: 'aws:SourceVpc',
      value: grant.vpcId,
      label: `VPC ${grant.vpcId}`,
    });
  }
  if (grant?.vpceId !== undefined) {
    if (!AWS_ID_PATTERNS.vpcEndpointId.test(grant.vpceId)) {
      throw new InvalidArgumentError(
        'grant.vpceId',
        `expected vpce- followed by 8 or 17 hex digits, got ${JSON.stringify(
          grant.vpceId,
        )}`,
      );
    }
    targets.push({
      key: 'aws:SourceVpce',
      value: grant.vpceId,
      label: `VPC endpoint ${grant.vpceId}`,
    });
  }
  if (targets.length === 0) {
    throw new InvalidArgumentError('grant', 'name a vpcId or a vpceId');
  }
  return targets;
}

/** A clause of a statement document on one key, with a string operator. */
interface KeyClause {
  block: Record<string, unknown>;
  operatorName: string;
  keyName: string;
  operator: ConditionOperator;
  values: string[];
}

function keyClauses(
  statement: PolicyStatementDocument,
  key: string,
): KeyClause[] {
  const clauses: KeyClause[] = [];
  for (const [operatorName, block] of Object.entries(
    statement.Condition ?? {},
  )) {
    const operator = parseOperator(operatorName);
    if (operator?.family !== 'string') continue;
    for (const keyName of Object.keys(block)) {
      if (keyName.toLowerCase() !== key.toLowerCase()) continue;
      const value = block[keyName];
      clauses.push({
        block,
        operatorName,
        keyName,
        operator,
        values: (Array.isArray(value) ? value : [value]).map(String),
      });
    }
  }
  return clauses;
}

/** Writes the list back, keeping a single value a string as it was written. */
function setValues(clause: KeyClause, values: string[]) {
  const wasList = Array.isArray(clause.block[clause.keyName]);
  clause.block[clause.keyName] =
    values.length === 1 && !wasList ? values[0] : values;
}

/** Removes a clause, then its operator block and the Condition if they are left empty. */
function removeClause(statement: PolicyStatementDocument, clause: KeyClause) {
  delete clause.block[clause.keyName];
  if (Object.keys(clause.block).length === 0) {
    delete statement.Condition![clause.operatorName];
  }
  if (Object.keys(statement.Condition!).length === 0)
    delete statement.Condition;
}

/** The values of the clause that name exactly this value (a pattern such as `vpce-*` is left alone). */
function namesExactly(clause: KeyClause, value: string): string[] {
  return clause.values.filter(v =>
    clause.operator.comparison === 'ignore-case'
      ? v.toLowerCase() === value.toLowerCase()
      : v === value,
  );
}

/** The statement documents of a document, as a list (a single statement becomes a list of one). */
function statementList(document: PolicyDocument): PolicyStatementDocument[] {
  return Array.isArray(document.Statement)
    ? document.Statement
    : [document.Statement];
}

/** A policy whose statements can be edited before it is parsed again. */
class Draft {
  readonly document: PolicyDocument;
  statements: PolicyStatementDocument[];
  readonly changes: string[] = [];
  private readonly labels = new Map<PolicyStatementDocument, string>();

  constructor(policy: ResourcePolicy) {
    this.document = JSON.parse(JSON.stringify(policy.document));
    this.statements = statementList(this.document);
    this.statements.forEach((s, i) =>
      this.labels.set(s, statementLabel(policy.statements[i])),
    );
  }

  /** How messages name a statement: its label in the policy as it was, or as added. */
  label(statement: PolicyStatementDocument): string {
    return (
      this.labels.get(statement) ??
      `Statement[${this.statements.indexOf(statement)}] (${statement.Effect})`
    );
  }

  remove(statements: Set<PolicyStatementDocument>) {
    this.statements = this.statements.filter(s => !statements.has(s));
  }

  add(statement: PolicyStatementDocument) {
    this.statements.push(statement);
  }

  /**
   * The edited policy (with one more statement, to try it), parsed; a single statement
   * stays a single object when it can.
   */
  toPolicy(extra?: PolicyStatementDocument): ResourcePolicy {
    const statements = extra ? [...this.statements, extra] : this.statements;
    const single =
      !Array.isArray(this.document.Statement) && statements.length === 1;
    return toResourcePolicy({
      ...this.document,
      Statement: single ? statements[0] : statements,
    });
  }
}

/** The standard statement of the console: `{Effect} anyone execute-api:Invoke on {apiArn}/*`. */
function standardStatement(
  effect: 'Allow' | 'Deny',
  apiArn: string,
  condition?: ConditionDocument,
): PolicyStatementDocument {
  return {
    Effect: effect,
    Principal: '*',
    Action: INVOKE_ACTION,
    Resource: `${apiArn}/*`,
    ...(condition ? { Condition: condition } : {}),
  };
}

function otherKey(key: VpcKey): VpcKey {
  return key === 'aws:SourceVpc' ? 'aws:SourceVpce' : 'aws:SourceVpc';
}

/**
 * Whether some sample call is allowed. With a target: only the calls that carry its value
 * and, for the other key, a value the policy does not name. An endpoint lies in one VPC, so
 * a VPC being granted comes with its own endpoints, which the policy does not name; and an
 * endpoint being granted may lie in a VPC the policy does not name.
 */
function someCallAllowed(
  policy: ResourcePolicy,
  apiArn: string,
  target?: Target,
  anonymousOnly = false,
): boolean {
  const filter: CallFilter = { anonymousOnly };
  if (target?.key === 'aws:SourceVpc') {
    filter.sourceVpc = target.value;
    filter.unnamedVpce = true;
  }
  if (target?.key === 'aws:SourceVpce') {
    filter.sourceVpce = target.value;
    filter.unnamedVpc = true;
  }
  return !!findAllowedCall(policy, apiArn, filter);
}

/** Why calls with the target's value are still not allowed: the statements that deny them. */
function blockers(
  policy: ResourcePolicy,
  apiArn: string,
  target: Target,
): string {
  const request = {
    resource: `${apiArn}/*/*/*`,
    [target.key === 'aws:SourceVpc' ? 'sourceVpc' : 'sourceVpce']: target.value,
  };
  const decision = decide(policy, request, false);
  if (decision.deniedBy.length === 0) {
    return `no Allow statement lets ${target.label} in`;
  }
  return decision.deniedBy
    .map(
      i =>
        `${statementLabel(policy.statements[i])} (${describeStatement(
          policy.statements[i],
          apiArn,
        )})`,
    )
    .join('; ');
}

/**
 * A grant's edit that lists the caller, in terms of what it lets in: listing an endpoint in a
 * Deny's exceptions is exactly what admits it, so the sentence must not read like a denial.
 */
function listedIn(
  value: string,
  key: string,
  statement: string,
  inDeny: boolean,
): string {
  return inDeny
    ? `Added ${value} to the ${key} values that ${statement} exempts (it denies every other caller), which lets ${value} in.`
    : `Added ${value} to the ${key} values that ${statement} lets in.`;
}

function grantTarget(draft: Draft, target: Target, apiArn: string) {
  const { key, value, label } = target;
  const emptied = new Set<PolicyStatementDocument>();
  for (const statement of draft.statements) {
    const name = draft.label(statement);
    for (const clause of keyClauses(statement, key)) {
      const matches = anyValueMatches(clause.operator, clause.values, value);
      const deny = statement.Effect === 'Deny';
      if (deny === clause.operator.negated) {
        // Deny unless listed, or Allow if listed: list the value.
        if (matches) continue;
        setValues(clause, [...clause.values, value]);
        draft.changes.push(listedIn(value, clause.keyName, name, deny));
        continue;
      }
      // Deny if listed, or Allow unless listed: unlist the value.
      const named = namesExactly(clause, value);
      if (named.length === 0) continue;
      const rest = clause.values.filter(v => !named.includes(v));
      if (rest.length > 0) {
        setValues(clause, rest);
        draft.changes.push(
          `Removed ${value} from the ${clause.keyName} list of ${name}.`,
        );
      } else if (deny) {
        // The Deny applied to this value only: without it, the statement is gone.
        emptied.add(statement);
        draft.changes.push(`Removed ${name}, which denied ${label} only.`);
      } else {
        removeClause(statement, clause);
        draft.changes.push(
          `Removed the ${clause.keyName} condition from ${name}, which excluded ${label} only.`,
        );
      }
    }
  }
  draft.remove(emptied);

  // A Deny that lets in only some values of the other key ("deny unless aws:SourceVpc is
  // X"): a clause on this key that only this value fails exempts it, and nothing else.
  for (const statement of draft.statements) {
    if (statement.Effect !== 'Deny' || keyClauses(statement, key).length)
      continue;
    if (!keyClauses(statement, otherKey(key)).some(c => c.operator.negated))
      continue;
    const block = (statement.Condition!.StringNotEquals ??= {});
    block[key] = value;
    draft.changes.push(
      `Added ${key} ${value} to ${draft.label(
        statement,
      )}, so that it no longer denies ${label}.`,
    );
  }

  // Where the policy lets unsigned callers in somewhere, the new caller should be let in
  // unsigned too; otherwise as the signed callers the policy names.
  const unsigned = someCallAllowed(draft.toPolicy(), apiArn, undefined, true);
  if (someCallAllowed(draft.toPolicy(), apiArn, target, unsigned)) return;
  // Nothing lets the value in yet: copy an Allow that lists the other key, for this key,
  // or add the console's standard Allow for this value; unless a Deny would block it anyway.
  const template = draft.statements.find(
    s =>
      s.Effect === 'Allow' &&
      keyClauses(s, otherKey(key)).some(c => !c.operator.negated) &&
      keyClauses(s, key).length === 0,
  );
  let addition: PolicyStatementDocument;
  let change: string;
  if (template) {
    addition = JSON.parse(JSON.stringify(template));
    for (const clause of keyClauses(addition, otherKey(key))) {
      removeClause(addition, clause);
    }
    addition.Condition = {
      ...addition.Condition,
      StringEquals: { ...addition.Condition?.StringEquals, [key]: value },
    };
    delete addition.Sid;
    change = `Added a copy of ${draft.label(
      template,
    )} for ${label} in place of its ${otherKey(key)} list.`;
  } else {
    addition = standardStatement('Allow', apiArn, {
      StringEquals: { [key]: value },
    });
    change = `Added an Allow for ${label}: anyone calling from it may invoke the whole API.`;
  }
  if (someCallAllowed(draft.toPolicy(addition), apiArn, target, unsigned)) {
    draft.add(addition);
    draft.changes.push(change);
  }
}

/** A Deny for everyone, on every call of the API (conditions aside). */
function deniesEveryCall(statement: PolicyStatement, apiArn: string): boolean {
  return (
    statement.effect === 'Deny' &&
    !statement.principal.negated &&
    statement.principal.entries.some(e => e.value === '*') &&
    !statement.action.negated &&
    statement.action.patterns.some(p =>
      wildcardMatch(p, INVOKE_ACTION, true),
    ) &&
    !statement.resource.negated &&
    statement.resource.patterns.some(p => coversWholeApi(p, apiArn))
  );
}

/** The clause is on the target's key, its operator is known, and the value gives this outcome. */
function clauseGives(
  clause: ConditionClause,
  target: Target,
  outcome: boolean,
) {
  return (
    clause.key.toLowerCase() === target.key.toLowerCase() &&
    !!parseOperator(clause.operator) &&
    evaluateClause(clause, target.value) === outcome
  );
}

/**
 * True when no call that carries the value can be allowed (sound, not complete): a Deny
 * for every call holds for the value, or every Allow has a clause on the key that the value
 * fails. An Allow with an unknown operator counts as possibly letting the value in.
 */
function definitelyDenied(
  policy: ResourcePolicy,
  apiArn: string,
  target: Target,
): boolean {
  const denied = policy.statements.some(
    s =>
      deniesEveryCall(s, apiArn) &&
      s.conditions.every(c => clauseGives(c, target, true)),
  );
  return (
    denied ||
    policy.statements
      .filter(s => s.effect === 'Allow')
      .every(s => s.conditions.some(c => clauseGives(c, target, false)))
  );
}

function revokeTarget(draft: Draft, target: Target, apiArn: string) {
  const { key, value, label } = target;
  const emptied = new Set<PolicyStatementDocument>();
  for (const statement of draft.statements) {
    const name = draft.label(statement);
    for (const clause of keyClauses(statement, key)) {
      const deny = statement.Effect === 'Deny';
      if (deny === clause.operator.negated) {
        // Deny unless listed, or Allow if listed: unlist the value.
        const named = namesExactly(clause, value);
        if (named.length === 0) continue;
        const rest = clause.values.filter(v => !named.includes(v));
        if (rest.length > 0) {
          setValues(clause, rest);
          draft.changes.push(
            `Removed ${value} from the ${clause.keyName} list of ${name}.`,
          );
        } else if (deny) {
          removeClause(statement, clause);
          draft.changes.push(
            `Removed the ${clause.keyName} condition from ${name}, which exempted ${label} only.`,
          );
        } else {
          // The Allow applied to this value only: without it, the statement is gone.
          emptied.add(statement);
          draft.changes.push(`Removed ${name}, which allowed ${label} only.`);
        }
      } else if (
        !deny &&
        !anyValueMatches(clause.operator, clause.values, value)
      ) {
        // Allow unless listed: list the value.
        setValues(clause, [...clause.values, value]);
        draft.changes.push(
          `Added ${value} to the ${clause.keyName} list of ${name}.`,
        );
      }
    }
  }
  draft.remove(emptied);
  const parsed = draft.toPolicy();
  if (definitelyDenied(parsed, apiArn, target)) return;

  // Still let in by something else: extend the list of a Deny-for-everyone on the key, or add one.
  const index = parsed.statements.findIndex(s => {
    const operator = parseOperator(s.conditions[0]?.operator ?? '');
    return (
      deniesEveryCall(s, apiArn) &&
      s.conditions.length === 1 &&
      s.conditions[0].key.toLowerCase() === key.toLowerCase() &&
      operator?.family === 'string' &&
      !operator.negated &&
      !operator.setQualifier
    );
  });
  if (index >= 0) {
    const blocklist = draft.statements[index];
    const [clause] = keyClauses(blocklist, key);
    setValues(clause, [...clause.values, value]);
    draft.changes.push(
      `Added ${value} to the ${clause.keyName} list of ${draft.label(
        blocklist,
      )}.`,
    );
  } else {
    draft.add(
      standardStatement('Deny', apiArn, { StringEquals: { [key]: value } }),
    );
    draft.changes.push(`Added a Deny for ${label} on the whole API.`);
  }
}

function pretty(policy: ResourcePolicy | undefined): string {
  return policy ? JSON.stringify(policy.document, null, 2) : '';
}

function finish(
  before: ResourcePolicy | undefined,
  draft: Draft | undefined,
  summaryIfUnchanged: string,
  notes: string[],
): PolicyChange {
  // Edits that cancel out (a statement taken out and put back as it was) change nothing.
  const changed =
    !!draft &&
    draft.changes.length > 0 &&
    (!before || serializePolicy(draft.toPolicy()) !== serializePolicy(before));
  const policy = changed ? draft!.toPolicy() : before;
  return {
    policy: policy ?? toResourcePolicy({ Statement: [] }),
    policyJson: policy ? serializePolicy(policy) : undefined,
    changed,
    summary: changed
      ? [...draft!.changes, ...notes].join(' ')
      : summaryIfUnchanged,
    changes: changed ? draft!.changes : [],
    notes: changed ? [...notes, REDEPLOY_NOTE] : notes,
    diff: lineDiff(pretty(before), pretty(policy)),
  };
}

function readPolicy(
  policy: ResourcePolicy | string | undefined,
): ResourcePolicy | undefined {
  if (policy === undefined || (typeof policy === 'string' && !policy.trim()))
    return undefined;
  const parsed = toResourcePolicy(policy);
  return parsed.statements.length ? parsed : undefined;
}

/**
 * The smallest change that lets a VPC and/or VPC endpoint call the (private) API, following
 * the policy's pattern: add it to the `aws:SourceVpc`/`aws:SourceVpce` list of a Deny
 * `StringNotEquals` or an Allow `StringEquals`, take it off a list that excludes it, exempt
 * it from a Deny on the other key; and only when nothing lets it in, add an Allow. Without a
 * policy, writes the console's standard pair (Allow anyone, Deny unless from the caller).
 *
 * Calls that do not carry the granted value keep their decision; calls that do and were
 * allowed stay allowed.
 *
 * @throws InvalidArgumentError for an invalid VPC or endpoint id or API ARN.
 * @throws PolicyParseError when the policy text is not a valid policy.
 */
export function grantVpcAccess(
  policy: ResourcePolicy | string | undefined,
  grant: VpcAccessGrant,
  options: PolicyChangeOptions,
): PolicyChange {
  const targets = targetsOf(grant);
  parseApiArn(options.apiArn, 'options.apiArn');
  const before = readPolicy(policy);
  let draft: Draft;
  if (before) {
    draft = new Draft(before);
  } else {
    const [first] = targets;
    draft = new Draft(
      toResourcePolicy({
        Version: '2012-10-17',
        Statement: [
          standardStatement('Allow', options.apiArn),
          standardStatement('Deny', options.apiArn, {
            StringNotEquals: { [first.key]: first.value },
          }),
        ],
      }),
    );
    draft.changes.push(
      `Wrote the standard policy: allow anyone, and deny every call that does not come from ${first.label}.`,
    );
  }
  for (const target of targets) grantTarget(draft, target, options.apiArn);
  const stages = [...new Set(options.stages ?? [])];
  const scopeNotes: string[] = [];
  if (stages.length > 0 && draft.changes.length > 0) {
    for (const target of targets) {
      scopeNotes.push(
        ...scopeToStages(draft, before, target, options.apiArn, stages),
      );
    }
  }

  const after = draft.toPolicy();
  const notes = targets
    .filter(t => !someCallAllowed(after, options.apiArn, t))
    .map(
      t => `${t.label} is still denied: ${blockers(after, options.apiArn, t)}.`,
    );
  const labels = targets.map(t => t.label).join(' and ');
  let unchanged = `${labels} may already call this API; nothing to change.`;
  if (notes.length) {
    unchanged = `Nothing to change that the pattern allows: ${notes.join(' ')}`;
  } else if (
    !targets.every(t => someCallAllowed(after, options.apiArn, t, true))
  ) {
    unchanged = `The policy does not restrict ${labels}, but only the signed callers it names may call; nothing to change.`;
  }
  return finish(before, draft, unchanged, [...scopeNotes, ...notes]);
}

const STAGE_NAME = /^[A-Za-z0-9_-]{1,128}$/;

/** The stage a sample call ARN names, unless it stands for any stage. */
function stageOfCall(arn: string, apiArn: string): string | undefined {
  const stage = arn.slice(apiArn.length + 1).split('/')[0];
  return STAGE_NAME.test(stage) && !stage.startsWith('_') ? stage : undefined;
}

/**
 * Keeps a grant to the requested stages: a Deny for the caller's value on every resource but
 * `{apiArn}/{stage}/*` of those stages (NotResource). Stages where the policy let the caller
 * in before stay exempt, so that no call that was allowed is denied; when the caller was
 * let in on stages the policy does not name, scoping would take that away, so the grant
 * stays whole and a note says so. Returns the notes.
 */
function scopeToStages(
  draft: Draft,
  before: ResourcePolicy | undefined,
  target: Target,
  apiArn: string,
  stages: string[],
): string[] {
  for (const stage of stages) {
    if (!STAGE_NAME.test(stage)) {
      throw new InvalidArgumentError(
        'options.stages',
        `expected stage names of letters, digits, - and _, got ${JSON.stringify(
          stage,
        )}`,
      );
    }
  }
  const exempt = new Set(stages);
  const widened: string[] = [];
  const widenedNotes = () =>
    widened.map(
      stage =>
        `${target.label} could already call stage ${stage} in part, so the grant covers ${stage} as well: limiting it there would take that access away.`,
    );
  for (let round = 0; round < 8; round++) {
    const deny: PolicyStatementDocument = {
      Effect: 'Deny',
      Principal: '*',
      Action: INVOKE_ACTION,
      NotResource: [...exempt].map(stage => `${apiArn}/${stage}/*`),
      Condition: { StringEquals: { [target.key]: target.value } },
    };
    const scoped = draft.toPolicy(deny);
    if (!before) {
      draft.add(deny);
      draft.changes.push(scopedChange(target, exempt));
      return widenedNotes();
    }
    // Calls with the value that the policy allowed before and the scoped Deny would deny.
    const filter: CallFilter =
      target.key === 'aws:SourceVpc'
        ? { sourceVpc: target.value }
        : { sourceVpce: target.value };
    const found = findLostAccess(before, scoped, apiArn, filter, [...exempt]);
    if (!found.complete) {
      return [
        `The grant for ${target.label} could not be limited to ${stages.join(
          ', ',
        )}: the policy is too complex to check that no caller would lose access.`,
      ];
    }
    const lost = new Set(found.resources.map(r => stageOfCall(r.arn, apiArn)));
    if (lost.size === 0) {
      draft.add(deny);
      draft.changes.push(scopedChange(target, exempt));
      return widenedNotes();
    }
    if (lost.has(undefined)) {
      return [
        `${
          target.label
        } could already call stages the policy does not name, so the grant is not limited to ${stages.join(
          ', ',
        )}: limiting it would take that access away.`,
      ];
    }
    lost.forEach(stage => {
      exempt.add(stage!);
      widened.push(stage!);
    });
  }
  return [
    `The grant for ${target.label} could not be limited to ${stages.join(
      ', ',
    )}.`,
  ];
}

function scopedChange(target: Target, stages: Set<string>): string {
  return `Added a Deny for ${target.label} on every stage but ${[
    ...stages,
  ].join(', ')}, so that the grant covers only ${
    stages.size === 1 ? 'that stage' : 'those stages'
  }.`;
}

/**
 * The smallest change that keeps a VPC and/or VPC endpoint out, mirroring grantVpcAccess:
 * take it off the lists that let it in, add it to lists that exclude it, and when something
 * else still lets it in, add it to a Deny-for-everyone list of the key or add such a Deny.
 *
 * Afterwards no call that carries the revoked value is allowed; calls that do not carry it
 * keep their decision; calls that were denied stay denied.
 *
 * @throws InvalidArgumentError for an invalid VPC or endpoint id or API ARN.
 * @throws PolicyParseError when the policy text is not a valid policy.
 */
export function revokeVpcAccess(
  policy: ResourcePolicy | string | undefined,
  grant: VpcAccessGrant,
  options: PolicyChangeOptions,
): PolicyChange {
  const targets = targetsOf(grant);
  parseApiArn(options.apiArn, 'options.apiArn');
  const before = readPolicy(policy);
  const labels = targets.map(t => t.label).join(' and ');
  if (!before) {
    return finish(
      undefined,
      undefined,
      `There is no resource policy, so a private API lets nobody in: ${labels} cannot call it already.`,
      [],
    );
  }
  const draft = new Draft(before);
  for (const target of targets) revokeTarget(draft, target, options.apiArn);
  const notes = someCallAllowed(draft.toPolicy(), options.apiArn)
    ? []
    : [
        'After this change no call can pass the policy: nobody may call the API.',
      ];
  return finish(
    before,
    draft,
    `${labels} cannot call this API already; nothing to change.`,
    notes,
  );
}

/** The result of undoing one change on the policy as it is now. */
export interface PolicyUndo {
  /** The policy with the change undone (JSON for UpdateRestApi); undefined when it has no statement left. */
  policyJson?: string;
  /** Whether the current policy differs from `policyJson` (something to write). */
  changed: boolean;
  /** True when every edit of the change was found and undone; false: see `conflicts`. */
  clean: boolean;
  /** The edits that could not be undone because the statement changed meanwhile. */
  conflicts: string[];
}

type ConditionSets = Record<string, Record<string, string[]>>;

/** A statement with its condition lists as sorted sets, comparable as text. */
function conditionSets(statement: PolicyStatementDocument): ConditionSets {
  const sets: ConditionSets = {};
  for (const [operator, block] of Object.entries(statement.Condition ?? {})) {
    sets[operator] = {};
    for (const [key, value] of Object.entries(block)) {
      sets[operator][key] = [
        ...new Set((Array.isArray(value) ? value : [value]).map(String)),
      ].sort();
    }
  }
  return sets;
}

function sortedJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(sortedJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map(
        k =>
          `${JSON.stringify(k)}:${sortedJson(
            (value as Record<string, unknown>)[k],
          )}`,
      )
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The statement as comparable text: condition lists as sets. */
function canonical(statement: PolicyStatementDocument): string {
  return sortedJson({ ...statement, Condition: conditionSets(statement) });
}

/** The statement without its condition values: what an edit of a list leaves as it was. */
function skeleton(statement: PolicyStatementDocument): string {
  const sets = conditionSets(statement);
  for (const block of Object.values(sets)) {
    for (const key of Object.keys(block)) block[key] = [];
  }
  return sortedJson({ ...statement, Condition: sets });
}

/** Values added to and removed from each condition list between two statements of one skeleton. */
function listEdits(
  from: PolicyStatementDocument,
  to: PolicyStatementDocument,
): Array<{
  operator: string;
  key: string;
  added: string[];
  removed: string[];
}> {
  const a = conditionSets(from);
  const b = conditionSets(to);
  const edits = [];
  for (const [operator, block] of Object.entries(b)) {
    for (const [key, values] of Object.entries(block)) {
      const old = a[operator]?.[key] ?? [];
      const added = values.filter(v => !old.includes(v));
      const removed = old.filter(v => !values.includes(v));
      if (added.length || removed.length)
        edits.push({ operator, key, added, removed });
    }
  }
  return edits;
}

/** How many condition values one statement has that the other has not, both ways. */
function valueDistance(
  a: PolicyStatementDocument,
  b: PolicyStatementDocument,
): number {
  const x = conditionSets(a);
  const y = conditionSets(b);
  let distance = 0;
  for (const [operator, block] of Object.entries(x)) {
    for (const [key, values] of Object.entries(block)) {
      const other = y[operator]?.[key] ?? [];
      distance += values.filter(v => !other.includes(v)).length;
      distance += other.filter(v => !values.includes(v)).length;
    }
  }
  return distance;
}

function minBy<T>(items: T[], score: (item: T) => number): T | undefined {
  let best: T | undefined;
  let bestScore = Infinity;
  for (const item of items) {
    const s = score(item);
    if (s < bestScore) {
      best = item;
      bestScore = s;
    }
  }
  return best;
}

function statementsOf(
  policy: ResourcePolicy | string | undefined,
): PolicyStatementDocument[] {
  const parsed = readPolicy(policy);
  return parsed
    ? JSON.parse(JSON.stringify(statementList(parsed.document)))
    : [];
}

/**
 * Undoes one change (the policy went from `before` to `after`) on the policy as it is now,
 * keeping every edit others made since: statements the change added are taken out,
 * statements it removed are put back, and values it added to (removed from) a condition list
 * are taken out of (put back into) that list wherever the statement still has the same
 * shape. What cannot be matched any more is a conflict, and is left as it is.
 *
 * With nobody else's edit in between, the result is `before`.
 */
export function undoPolicyChange(
  current: ResourcePolicy | string | undefined,
  before: ResourcePolicy | string | undefined,
  after: ResourcePolicy | string | undefined,
): PolicyUndo {
  const now = statementsOf(current);
  const was = statementsOf(before);
  const became = statementsOf(after);
  const nowText = now.map(canonical);
  // The multiset difference between before and after.
  const removed = [...was];
  const added: PolicyStatementDocument[] = [];
  for (const statement of became) {
    const i = removed.findIndex(r => canonical(r) === canonical(statement));
    if (i >= 0) removed.splice(i, 1);
    else added.push(statement);
  }
  const conflicts: string[] = [];
  let result = [...now];
  // Statements this undo already restored: identical statements are undone one each.
  const restored = new Set<PolicyStatementDocument>();
  const describe = (s: PolicyStatementDocument) =>
    s.Sid ? `statement ${s.Sid}` : `a ${s.Effect} statement`;

  for (const statement of added) {
    // An edited list: same shape before and after.
    const originalIndex = removed.findIndex(
      r => skeleton(r) === skeleton(statement),
    );
    if (originalIndex >= 0) {
      const [original] = removed.splice(originalIndex, 1);
      const edits = listEdits(original, statement);
      // Of the statements that still carry this edit, the one closest to what the change
      // wrote: another statement of the same shape may hold the same values by chance.
      const target = minBy(
        result.filter(
          s =>
            !restored.has(s) &&
            skeleton(s) === skeleton(statement) &&
            edits.every(e => {
              const values = conditionSets(s)[e.operator]?.[e.key] ?? [];
              return (
                e.added.every(v => values.includes(v)) &&
                e.removed.every(v => !values.includes(v))
              );
            }),
        ),
        s => valueDistance(s, statement),
      );
      if (!target) {
        const undone = result.some(s => canonical(s) === canonical(original));
        if (!undone)
          conflicts.push(
            `${describe(statement)} changed since, so ${edits
              .flatMap(e => e.added)
              .join(', ')} could not be taken out of it`,
          );
        continue;
      }
      const copy: PolicyStatementDocument = JSON.parse(JSON.stringify(target));
      for (const edit of edits) {
        const block = copy.Condition![edit.operator];
        const value = block[edit.key];
        const wasList = Array.isArray(value);
        const values = (wasList ? value : [value])
          .map(String)
          .filter(v => !edit.added.includes(v));
        for (const v of edit.removed) if (!values.includes(v)) values.push(v);
        block[edit.key] = values.length === 1 && !wasList ? values[0] : values;
      }
      restored.add(copy);
      result = result.map(s => (s === target ? copy : s));
      continue;
    }
    const i = result.findIndex(s => canonical(s) === canonical(statement));
    if (i >= 0) {
      result.splice(i, 1);
    } else if (result.some(s => skeleton(s) === skeleton(statement))) {
      conflicts.push(
        `${describe(
          statement,
        )} that the change added was edited since, so it was left in place`,
      );
    }
  }
  for (const statement of removed) {
    if (!result.some(s => canonical(s) === canonical(statement))) {
      result.push(statement);
    }
  }

  const changed =
    result.length !== now.length ||
    result.some((s, i) => canonical(s) !== nowText[i]);
  const base = readPolicy(current) ?? readPolicy(before);
  const policyJson =
    result.length === 0
      ? undefined
      : serializePolicy(
          toResourcePolicy({
            ...(base?.document ?? { Version: '2012-10-17' }),
            Statement: result,
          }),
        );
  return { policyJson, changed, clean: conflicts.length === 0, conflicts };
}
