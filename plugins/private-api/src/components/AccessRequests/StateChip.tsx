import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
  StatusWarning,
} from '@backstage/core-components';
import type { AccessRequestState } from '@private-api-catalog/plugin-private-api-common';

const LABEL: Record<AccessRequestState, string> = {
  pending: 'Pending approval',
  approved: 'Approved',
  applying: 'Applying',
  applied: 'Applied, awaiting discovery',
  verified: 'Verified',
  rejected: 'Rejected',
  cancelled: 'Cancelled',
  failed: 'Failed',
  'needs-attention': 'Needs attention',
};

/** A request's state, as a status dot and words (never colour alone). */
export function StateChip(props: { state: AccessRequestState }) {
  const label = LABEL[props.state];
  switch (props.state) {
    case 'verified':
      return <StatusOK>{label}</StatusOK>;
    case 'applied':
    case 'approved':
      return <StatusWarning>{label}</StatusWarning>;
    case 'applying':
      return <StatusRunning>{label}</StatusRunning>;
    case 'failed':
    case 'needs-attention':
    case 'rejected':
      return <StatusError>{label}</StatusError>;
    case 'cancelled':
      return <StatusAborted>{label}</StatusAborted>;
    default:
      return <StatusPending>{label}</StatusPending>;
  }
}

export function stateLabel(state: AccessRequestState): string {
  return LABEL[state];
}
