import { createRouteRef } from '@backstage/core-plugin-api';

/**
 * The Private APIs page (the explorer of every discovered API).
 *
 * @public
 */
export const rootRouteRef = createRouteRef({ id: 'private-api' });

/**
 * The VPC access requests page: "My requests" and the owners' approval queue.
 *
 * @public
 */
export const accessRequestsRouteRef = createRouteRef({
  id: 'private-api:access-requests',
});
