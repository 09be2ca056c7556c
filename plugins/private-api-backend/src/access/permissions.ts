import {
  createConditionExports,
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import {
  AccessRequest,
  ACCESS_REQUEST_RESOURCE_TYPE,
  PRIVATE_API_PLUGIN_ID,
} from '@private-api-catalog/plugin-private-api-common';
import { z } from 'zod';

/** A filter on requests: a field and the entity refs it may hold. */
export type AccessRequestFilter = {
  field: 'requester' | 'owners';
  anyOf: string[];
};

/** @public */
export const accessRequestResourceRef = createPermissionResourceRef<
  AccessRequest,
  AccessRequestFilter
>().with({
  pluginId: PRIVATE_API_PLUGIN_ID,
  resourceType: ACCESS_REQUEST_RESOURCE_TYPE,
});

const claimsSchema = z.object({
  claims: z
    .array(z.string())
    .describe('Entity refs of the user: pass the user’s ownershipEntityRefs'),
});

/** The user made the request. */
const isRequester = createPermissionRule({
  name: 'IS_REQUESTER',
  description: 'Allow the user who made the access request',
  resourceRef: accessRequestResourceRef,
  paramsSchema: claimsSchema,
  apply: (request, { claims }) => claims.includes(request.requester),
  toQuery: ({ claims }) => ({ field: 'requester', anyOf: claims }),
});

/** The user owns the API (directly or through a group they belong to). */
const isApiOwner = createPermissionRule({
  name: 'IS_API_OWNER',
  description:
    'Allow the owners of the API the access request is for, including members of owning groups',
  resourceRef: accessRequestResourceRef,
  paramsSchema: claimsSchema,
  apply: (request, { claims }) =>
    request.owners.some(owner => claims.includes(owner)),
  toQuery: ({ claims }) => ({ field: 'owners', anyOf: claims }),
});

export const accessRequestPermissionRules = { isRequester, isApiOwner };

/**
 * Conditions for permission policies, e.g.
 * `createAccessRequestConditionalDecision(permission, accessRequestConditions.isApiOwner({ claims: user.info.ownershipEntityRefs }))`.
 *
 * @public
 */
export const {
  conditions: accessRequestConditions,
  createConditionalDecision: createAccessRequestConditionalDecision,
} = createConditionExports({
  resourceRef: accessRequestResourceRef,
  rules: accessRequestPermissionRules,
});
