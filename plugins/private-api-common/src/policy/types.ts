/**
 * Types of a resource policy as written (the JSON document) and as evaluated (normalized
 * statements), and of an access request and its decision.
 */

/** The kinds of principal an IAM policy can name. */
export type PrincipalType = 'AWS' | 'Service' | 'Federated' | 'CanonicalUser';

/** `Principal` / `NotPrincipal` as written: `"*"` or a map of principal type to one or more values. */
export type PrincipalDocument =
  | '*'
  | Partial<Record<PrincipalType, string | string[]>>;

/** A condition value as written: IAM accepts a scalar or a list. */
export type ConditionValueDocument =
  | string
  | number
  | boolean
  | Array<string | number | boolean>;

/** `Condition` as written: operator → condition key → value(s). */
export type ConditionDocument = Record<
  string,
  Record<string, ConditionValueDocument>
>;

/** One statement of a policy, as written. */
export interface PolicyStatementDocument {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: PrincipalDocument;
  NotPrincipal?: PrincipalDocument;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: ConditionDocument;
}

/** A policy document, as written (after API Gateway's extra escaping is undone). */
export interface PolicyDocument {
  Version?: string;
  Id?: string;
  Statement: PolicyStatementDocument | PolicyStatementDocument[];
}

/** One principal named by a statement. `"*"` is stored as `{ type: 'AWS', value: '*' }`. */
export interface PrincipalEntry {
  type: PrincipalType;
  value: string;
}

/** `Principal` (negated = false) or `NotPrincipal` (negated = true), normalized. */
export interface PrincipalMatcher {
  negated: boolean;
  entries: PrincipalEntry[];
}

/** `Action`/`NotAction` or `Resource`/`NotResource`, normalized to a list of patterns. */
export interface PatternList {
  negated: boolean;
  patterns: string[];
}

/** One operator/key pair of a `Condition` block with its values as strings. */
export interface ConditionClause {
  /** As written, e.g. `StringNotEquals`, `ForAnyValue:StringLike`, `IpAddressIfExists`. */
  operator: string;
  /** As written; condition keys are compared case-insensitively. */
  key: string;
  values: string[];
}

/** A statement normalized for evaluation. */
export interface PolicyStatement {
  /** Position in the policy's `Statement` list (0 for a single statement object). */
  index: number;
  sid?: string;
  effect: 'Allow' | 'Deny';
  principal: PrincipalMatcher;
  action: PatternList;
  resource: PatternList;
  /** All clauses must hold for the statement to apply (IAM ANDs them). */
  conditions: ConditionClause[];
}

/** A parsed resource policy: the document as written and its normalized statements. */
export interface ResourcePolicy {
  /** The JSON document, kept as written so that edits change only what they must. */
  document: PolicyDocument;
  statements: PolicyStatement[];
}

/**
 * The request whose access is decided: who calls which resource from where. Keys absent
 * here are absent from the request context, as IAM sees them.
 */
export interface AccessRequestContext {
  /** The execute-api ARN of the call: `arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{METHOD}/{path}`. */
  resource: string;
  /** Defaults to `execute-api:Invoke`. */
  action?: string;
  /** `'*'` (anonymous, the default), an account id or an IAM ARN (user, role or assumed-role session). */
  principal?: string;
  /** `aws:SourceVpc`. */
  sourceVpc?: string;
  /** `aws:SourceVpce`. */
  sourceVpce?: string;
  /** `aws:SourceIp` (absent for calls through a VPC endpoint). */
  sourceIp?: string;
  /** `aws:VpcSourceIp`. */
  vpcSourceIp?: string;
  /** `aws:PrincipalAccount`; derived from `principal` when omitted. */
  principalAccount?: string;
  /** `aws:PrincipalOrgID`. */
  principalOrgId?: string;
}

/** The outcome of evaluating a policy for one request, with the statements that decided it. */
export interface AccessDecision {
  /** IAM semantics: an explicit Deny wins, then any Allow, else the implicit deny. */
  decision: 'allow' | 'explicit-deny' | 'implicit-deny';
  /** Indexes of the Allow statements that apply. */
  allowedBy: number[];
  /** Indexes of the Deny statements that apply. */
  deniedBy: number[];
  /**
   * Indexes of statements with a condition operator this evaluator does not know: they are
   * treated as not applying, so the real decision may differ (the explanation says so).
   */
  unevaluated: number[];
  /** Human-readable, one line per statement that mattered, then the verdict. */
  explanation: string[];
}
