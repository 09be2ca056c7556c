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
  discoveryRefreshPermission,
  privateApiAdminPermission,
} from '@private-api-catalog/plugin-private-api-common';
import {
  accessRequestConditions,
  createAccessRequestConditionalDecision,
} from './permissions';

/** Options of the recommended decisions. */
export interface PrivateApiDecisionOptions {
  /**
   * Entity refs (users or groups) that administer the plugin: they start discovery runs and
   * see AWS errors in full. Typically `privateApi.admins` from the app config. Default none.
   */
  admins?: string[];
}

/**
 * The recommended decisions for the plugin's permissions, for your permission policy to
 * return before its own rules:
 *
 * - anyone signed in may ask for access;
 * - requesters see their own requests, and an API's owners (directly or through a group
 *   they belong to) see, approve, reject and apply the requests for it;
 * - only the admins start discovery (each run spends every account's API Gateway quota)
 *   and see AWS errors in full.
 *
 * Returns undefined for every other permission.
 *
 * @public
 */
export function privateApiAccessRequestDecision(
  request: PolicyQuery,
  user?: BackstageUserInfo,
  options: PrivateApiDecisionOptions = {},
): PolicyDecision | undefined {
  const { permission } = request;
  if (
    isPermission(permission, discoveryRefreshPermission) ||
    isPermission(permission, privateApiAdminPermission)
  ) {
    const admins = options.admins ?? [];
    const isAdmin =
      !!user && user.ownershipEntityRefs.some(ref => admins.includes(ref));
    return { result: isAdmin ? AuthorizeResult.ALLOW : AuthorizeResult.DENY };
  }
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
