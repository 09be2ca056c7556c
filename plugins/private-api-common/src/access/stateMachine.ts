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
  // A failed apply can be retried after fixing its cause; so can one that needs attention
  // (the retry completes the change in every stage).
  apply: { from: ['approved', 'failed', 'needs-attention'], to: 'applying' },
  'apply-succeeded': { from: ['applying'], to: 'applied' },
  'apply-failed': { from: ['applying'], to: 'failed' },
  'apply-needs-attention': { from: ['applying'], to: 'needs-attention' },
  // The apply's lease expired (its process died): recovery reads AWS and settles it.
  'recover-applied': { from: ['applying'], to: 'applied' },
  'recover-not-applied': { from: ['applying'], to: 'approved' },
  // The policy changed since approval: the owners must review the new change.
  'review-needed': { from: ['applying', 'approved'], to: 'pending' },
  // Discovery saw the change in place: after a direct apply, after a hand-off to IaC, or
  // after someone fixed by hand what needed attention.
  verify: { from: ['applied', 'approved', 'needs-attention'], to: 'verified' },
  // Discovery, crawling after the apply, did not see the change in the policy.
  'verify-failed': { from: ['applied'], to: 'failed' },
};

/** States no action leaves. */
export const FINAL_ACCESS_REQUEST_STATES: AccessRequestState[] = [
  'verified',
  'rejected',
  'cancelled',
];

/**
 * States in which a request for the same API and caller counts as a duplicate (the
 * database enforces one open request per API, caller and kind).
 */
export const OPEN_ACCESS_REQUEST_STATES: AccessRequestState[] = [
  'pending',
  'approved',
  'applying',
  'applied',
  'failed',
  'needs-attention',
];

export function canTransition(
  state: AccessRequestState,
  action: AccessRequestAction,
): boolean {
  return ACCESS_REQUEST_TRANSITIONS[action].from.includes(state);
}
