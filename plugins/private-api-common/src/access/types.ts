/**
 * Self-service VPC access requests: a consumer asks for their VPC (or VPC endpoint) to be
 * allowed by a private API's resource policy; the API's owners approve; the product applies
 * the change (or hands it to the owners' IaC); the next discovery verifies it.
 */

/** Where a request is in its life. */
export type AccessRequestState =
  | 'pending'
  | 'approved'
  | 'applying'
  | 'applied'
  | 'verified'
  | 'rejected'
  | 'cancelled'
  | 'failed'
  /**
   * An apply, rollback or verification left AWS in a state nobody asked for (for example
   * the change is live in one stage and not in another): `attention` says what is live
   * where and what to do. Retrying the apply, or a discovery that sees the change in
   * place, settles it.
   */
  | 'needs-attention';

/** Whether a request lets a caller in (grant) or takes its access away (revoke). */
export type AccessRequestKind = 'grant' | 'revoke';

/** How an approved request reaches AWS. */
export type ApplyMode = 'direct' | 'handoff';

/** What someone (or discovery) did to a request. */
export type AccessRequestAction =
  | 'create'
  | 'approve'
  | 'reject'
  | 'cancel'
  | 'apply'
  | 'apply-succeeded'
  | 'apply-failed'
  | 'review-needed'
  /** The apply (or its rollback) left the change partly in place. */
  | 'apply-needs-attention'
  /** Recovery of an expired apply lease: AWS holds the change. */
  | 'recover-applied'
  /** Recovery of an expired apply lease: AWS does not hold the change. */
  | 'recover-not-applied'
  | 'verify'
  /** Discovery no longer (or never) saw the change in the policy after it was applied. */
  | 'verify-failed';

/**
 * What one stage's deployment did for a request's change. A policy change takes effect in
 * a stage only at its next deployment, so this is where the change is live.
 */
export interface StageDeploymentResult {
  stage: string;
  /**
   * - `deployed`: the stage was redeployed with the change;
   * - `failed`: its deployment failed, it serves what it served before;
   * - `rolled-back`: deployed, then redeployed without the change after a later step failed;
   * - `rollback-failed`: deployed, and the redeployment without the change failed: the change
   *   is still live there;
   * - `not-attempted`: an earlier step failed first.
   */
  status:
    | 'deployed'
    | 'failed'
    | 'rolled-back'
    | 'rollback-failed'
    | 'not-attempted';
  /** Whether the stage serves this request's change (for a revoke: the caller is kept out). */
  live: boolean;
  deploymentId?: string;
  at?: string;
  /** The AWS error of the step that failed, summarized. */
  error?: { code: string; message: string };
}

/** The last check of a request against what discovery saw. */
export interface AccessRequestVerification {
  at: string;
  /** verified: the change is in place; not-yet: not seen (yet); failed: gone after it was applied. */
  outcome: 'verified' | 'not-yet' | 'failed';
  message: string;
}

/** One transition of a request, for its audit trail. */
export interface AccessRequestEvent {
  at: string;
  /** A user entity ref, or `discovery` for verification. */
  actor: string;
  action: AccessRequestAction;
  fromState?: AccessRequestState;
  toState: AccessRequestState;
  message?: string;
  /**
   * The resource policy before and after a change, as JSON text. For an apply, `policyAfter`
   * is the policy AWS returned when it was read back, not the one that was sent.
   */
  policyBefore?: string;
  policyAfter?: string;
}

/** The change an approval proposes, and what to paste into IaC for a hand-off. */
export interface ProposedChange {
  /** The current policy it was computed from (JSON text; absent when the API has none). */
  basePolicy?: string;
  /** The policy after the change (JSON text). */
  policy: string;
  summary: string;
  changes: string[];
  notes: string[];
  diff: string;
  /** Ready-to-paste IaC for owners who manage the API elsewhere. */
  terraform: string;
  cloudFormation: string;
}

export interface AccessRequest {
  id: string;
  /** grant (default) lets the caller in; revoke takes its access away. */
  kind: AccessRequestKind;
  /** The API entity, e.g. `api:default/payments-api-4qzwubhjbs`. */
  entityRef: string;
  accountId: string;
  region: string;
  apiId: string;
  apiName: string;
  /** Stages to allow; empty means every stage. */
  stages: string[];
  /** The caller: a VPC, or one VPC endpoint. */
  vpcId?: string;
  vpcEndpointId?: string;
  /**
   * The endpoint's association with the API (for its Route 53 alias name) is part of the
   * change: a grant associates the endpoint, a revoke removes its association.
   */
  associateEndpoint: boolean;
  justification: string;
  /** The requester's user entity ref. */
  requester: string;
  /**
   * The API's owners (entity refs), as last resolved from the catalog: refreshed whenever
   * someone acts on the request, so a request made before the catalog knew the API can
   * still be approved.
   */
  owners: string[];
  state: AccessRequestState;
  applyMode: ApplyMode;
  createdAt: string;
  updatedAt: string;
  /** Set on approval: what will be (or was) applied. */
  proposedChange?: ProposedChange;
  /** Set when the state is failed: the AWS error code and what to do. */
  failure?: { code: string; message: string };
  /** Set when the state is needs-attention: what is live where, and what to do. */
  attention?: { message: string };
  /** Per-stage results of the last apply (and its rollback, if any). */
  deployments?: StageDeploymentResult[];
  /** While applying: when the apply's lease expires and recovery settles it from AWS. */
  leaseExpiresAt?: string;
  /** The last verification against discovery (scheduled, or Verify now). */
  verification?: AccessRequestVerification;
  events: AccessRequestEvent[];
}

/** POST /access-requests */
export interface CreateAccessRequest {
  /** Default grant. A revoke names a caller the policy allows today. */
  kind?: AccessRequestKind;
  accountId: string;
  region: string;
  apiId: string;
  stages?: string[];
  vpcId?: string;
  vpcEndpointId?: string;
  /** A grant also associates the endpoint; a revoke also removes its association. */
  associateEndpoint?: boolean;
  justification: string;
}

/** Which requests a list shows: mine (I asked), approvals (I may decide), all (I may see). */
export type AccessRequestView = 'mine' | 'approvals' | 'all';

/** GET /access-requests query: filters and a cursor; newest first. */
export interface ListAccessRequestsQuery {
  view?: AccessRequestView;
  /** One state or several, comma-separated in the query string. */
  state?: AccessRequestState | AccessRequestState[];
  kind?: AccessRequestKind;
  /** The API entity, e.g. `api:default/payments-api-4qzwubhjbs`. */
  apiRef?: string;
  accountId?: string;
  region?: string;
  apiId?: string;
  /** 1..200, default 50. */
  limit?: number;
  /** `nextCursor` of the previous page. */
  cursor?: string;
}

/** GET /access-requests: one page; `nextCursor` is absent on the last page. */
export interface AccessRequestPage {
  items: AccessRequest[];
  nextCursor?: string;
}
