import { createRouteRef } from '@backstage/core-plugin-api';

/**
 * The Private APIs page (the explorer of every discovered API).
 *
 * @public
 */
export const rootRouteRef = createRouteRef({ id: 'private-api' });
