import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { PRIVATE_API_PLUGIN_ID } from '@private-api-catalog/plugin-private-api-common';
import { PrivateApiClient, privateApiApiRef } from './api';

/**
 * The private API catalogue for Backstage's legacy frontend system.
 *
 * @public
 */
export const privateApiPlugin = createPlugin({
  id: PRIVATE_API_PLUGIN_ID,
  apis: [
    createApiFactory({
      api: privateApiApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new PrivateApiClient(deps),
    }),
  ],
});

/**
 * The "Private API" tab content for API entities (legacy frontend system).
 *
 * @public
 */
export const EntityPrivateApiContent = privateApiPlugin.provide(
  createComponentExtension({
    name: 'EntityPrivateApiContent',
    component: {
      lazy: () =>
        import('./components/PrivateApiContent').then(m => m.PrivateApiContent),
    },
  }),
);
