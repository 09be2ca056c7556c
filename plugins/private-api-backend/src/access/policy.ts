import type { BackstageUserInfo } from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  isPermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import type { PolicyQuery } from '@backstage/plugin-permission-node';
import {
  accessRequestApplyPermission,
  accessRequestApprovePermission,
  accessRequestCreatePermission,
  accessRequestReadPermission,
} from '@private-api-catalog/plugin-private-api-common';
import {
  accessRequestConditions,
  createAccessRequestConditionalDecision,
} from './permissions';

/**
 * The recommended decisions for the access-request permissions, for your permission
 * policy to return before its own rules:
 *
 * - anyone signed in may ask for access;
 * - requesters see their own requests, and an API's owners (directly or through a group
 *   they belong to) see, approve, reject and apply the requests for it.
 *
 * Returns undefined for every other permission.
 *
 * @public
 */
export function privateApiAccessRequestDecision(
  request: PolicyQuery,
  user?: BackstageUserInfo,
): PolicyDecision | undefined {
  const { permission } = request;
  if (isPermission(permission, accessRequestCreatePermission)) {
    return { result: user ? AuthorizeResult.ALLOW : AuthorizeResult.DENY };
  }
  const isAccessRequestPermission = [
    accessRequestReadPermission,
    accessRequestApprovePermission,
    accessRequestApplyPermission,
  ].some(p => isPermission(permission, p));
  if (!isAccessRequestPermission) return undefined;
  if (!user) return { result: AuthorizeResult.DENY };

  const claims = user.ownershipEntityRefs;
  if (isPermission(permission, accessRequestReadPermission)) {
    return createAccessRequestConditionalDecision(permission, {
      anyOf: [
        accessRequestConditions.isRequester({ claims }),
        accessRequestConditions.isApiOwner({ claims }),
      ],
    });
  }
  return createAccessRequestConditionalDecision(
    permission as typeof accessRequestApprovePermission,
    accessRequestConditions.isApiOwner({ claims }),
  );
}
