import { createPermission } from '@backstage/plugin-permission-common';

/** The resource type of access requests, for conditional decisions on them. */
export const ACCESS_REQUEST_RESOURCE_TYPE = 'private-api-access-request';

/** Ask for a VPC or VPC endpoint to be allowed to call an API. */
export const accessRequestCreatePermission = createPermission({
  name: 'private-api.access-request.create',
  attributes: { action: 'create' },
});

/** See an access request (requesters see their own; owners see their APIs'). */
export const accessRequestReadPermission = createPermission({
  name: 'private-api.access-request.read',
  attributes: { action: 'read' },
  resourceType: ACCESS_REQUEST_RESOURCE_TYPE,
});

/** Approve or reject an access request. */
export const accessRequestApprovePermission = createPermission({
  name: 'private-api.access-request.approve',
  attributes: { action: 'update' },
  resourceType: ACCESS_REQUEST_RESOURCE_TYPE,
});

/** Apply an approved request to AWS (changes the resource policy and redeploys). */
export const accessRequestApplyPermission = createPermission({
  name: 'private-api.access-request.apply',
  attributes: { action: 'update' },
  resourceType: ACCESS_REQUEST_RESOURCE_TYPE,
});

/** Start a discovery run now instead of waiting for the schedule. */
export const discoveryRefreshPermission = createPermission({
  name: 'private-api.discovery.refresh',
  attributes: { action: 'update' },
});

/**
 * Administer the plugin: see AWS errors in full (role ARNs, AWS's own messages) where
 * others see a summary. Start discovery is its own permission (discoveryRefreshPermission);
 * the recommended policy gives both to the configured admins only.
 */
export const privateApiAdminPermission = createPermission({
  name: 'private-api.admin',
  attributes: { action: 'read' },
});

/** Every permission of the plugin, for `permissionsRegistry.addPermissions`. */
export const privateApiPermissions = [
  accessRequestCreatePermission,
  accessRequestReadPermission,
  accessRequestApprovePermission,
  accessRequestApplyPermission,
  discoveryRefreshPermission,
  privateApiAdminPermission,
];
