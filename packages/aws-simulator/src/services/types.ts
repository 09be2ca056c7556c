import type { SessionStore } from '../auth';
import type { ChangeFeed } from '../changeFeed';
import type { SimError } from '../errors';
import type { AccountState, Estate, RegionState } from '../estate/model';
import type { SimRequest, SimResponse } from '../protocols/types';

/** Who is calling: the account and Region every call acts in. */
export interface Identity {
  accountId: string;
  /** arn:aws:iam::{account}:user/... or arn:aws:sts::{account}:assumed-role/{role}/{session} */
  arn: string;
  userId: string;
}

export interface CallContext {
  estate: Estate;
  identity: Identity;
  account: AccountState;
  region: string;
  /** The account's state in the Region (empty when the estate has nothing there). */
  regionState: RegionState;
  sessions: SessionStore;
  /** CloudTrail event history and the SQS queues EventBridge feeds. */
  changeFeed: ChangeFeed;
  requestId: string;
  now: Date;
}

/** A request recognized as one operation, ready to run once quotas and faults allow. */
export interface ResolvedCall {
  /** Label in stats and fault scopes: apigateway, apigatewayv2, ec2, ... */
  service: string;
  operation: string;
  /** AssumeRole: the account of the role, which account-scoped faults apply to. */
  targetAccount?: string;
  run(ctx: CallContext): SimResponse | Promise<SimResponse>;
}

/** One wire protocol endpoint, selected by the signing name of the credential scope. */
export interface ServiceEndpoint {
  signingName: string;
  /** Recognize the operation. Throws SimError (unknown operation, malformed request). */
  resolve(req: SimRequest): ResolvedCall;
  /** Encode an error the way this service's clients parse it. */
  encodeError(error: SimError, requestId: string): SimResponse;
  /** This service's codes for the conditions every service shares. */
  errors: {
    throttling(retryAfterSeconds: number): SimError;
    accessDenied(identity: Identity, operation: string): SimError;
    serverError(status: 500 | 503): SimError;
    expiredToken(): SimError;
    unknownOperation(operation: string, supported: string[]): SimError;
  };
}
