import type { AccessRequestAction, AccessRequestState } from './types';

/**
 * Every legal transition, in one place: the backend enforces it (an illegal one is a 409),
 * the frontend offers only these actions.
 */
export const ACCESS_REQUEST_TRANSITIONS: Record<
  AccessRequestAction,
  { from: AccessRequestState[]; to: AccessRequestState }
> = {
  create: { from: [], to: 'pending' },
  approve: { from: ['pending'], to: 'approved' },
  reject: { from: ['pending', 'approved', 'failed'], to: 'rejected' },
  cancel: { from: ['pending', 'approved', 'failed'], to: 'cancelled' },
  // A failed apply can be retried after fixing its cause.
  apply: { from: ['approved', 'failed'], to: 'applying' },
  'apply-succeeded': { from: ['applying'], to: 'applied' },
  'apply-failed': { from: ['applying'], to: 'failed' },
  // The policy changed since approval: the owners must review the new change.
  'review-needed': { from: ['applying', 'approved'], to: 'pending' },
  // Discovery saw the caller allowed: after a direct apply, or after a hand-off to IaC.
  verify: { from: ['applied', 'approved'], to: 'verified' },
};

/** States no action leaves. */
export const FINAL_ACCESS_REQUEST_STATES: AccessRequestState[] = [
  'verified',
  'rejected',
  'cancelled',
];

/** States in which a request for the same API and caller counts as a duplicate. */
export const OPEN_ACCESS_REQUEST_STATES: AccessRequestState[] = [
  'pending',
  'approved',
  'applying',
  'applied',
  'failed',
];

export function canTransition(
  state: AccessRequestState,
  action: AccessRequestAction,
): boolean {
  return ACCESS_REQUEST_TRANSITIONS[action].from.includes(state);
}
