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
  | 'failed';

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
  | 'verify';

/** One transition of a request, for its audit trail. */
export interface AccessRequestEvent {
  at: string;
  /** A user entity ref, or `discovery` for verification. */
  actor: string;
  action: AccessRequestAction;
  fromState?: AccessRequestState;
  toState: AccessRequestState;
  message?: string;
  /** The resource policy before and after a change, as JSON text. */
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
  /** Also associate the endpoint with the API, for its Route 53 alias name. */
  associateEndpoint: boolean;
  justification: string;
  /** The requester's user entity ref. */
  requester: string;
  /** The API's owners when the request was made (entity refs). */
  owners: string[];
  state: AccessRequestState;
  applyMode: ApplyMode;
  createdAt: string;
  updatedAt: string;
  /** Set on approval: what will be (or was) applied. */
  proposedChange?: ProposedChange;
  /** Set when the state is failed: the AWS error code and what to do. */
  failure?: { code: string; message: string };
  events: AccessRequestEvent[];
}

/** POST /access-requests */
export interface CreateAccessRequest {
  accountId: string;
  region: string;
  apiId: string;
  stages?: string[];
  vpcId?: string;
  vpcEndpointId?: string;
  associateEndpoint?: boolean;
  justification: string;
}
