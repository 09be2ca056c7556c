import type { AccessRequest } from '@private-api-catalog/plugin-private-api-common';

/**
 * Whether a request waits on its API's owners: a decision (pending), an apply (approved,
 * by the plugin or in the owners' IaC), a retry (failed) or a look at what AWS was left
 * with (needs-attention). Applied requests wait on discovery, and the closed ones
 * (verified, rejected, cancelled) on nobody.
 */
export function needsOwnerAction(request: AccessRequest): boolean {
  return (
    request.state === 'pending' ||
    request.state === 'approved' ||
    request.state === 'failed' ||
    request.state === 'needs-attention'
  );
}

/** The caller as the owners read it: the endpoint and its VPC, or the VPC. */
export function callerLabel(request: AccessRequest): string {
  return request.vpcEndpointId
    ? `${request.vpcEndpointId} (in ${request.vpcId})`
    : request.vpcId ?? '—';
}
