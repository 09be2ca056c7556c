import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { PRIVATE_API_PLUGIN_ID } from '@private-api-catalog/plugin-private-api-common';
import { PrivateApiClient, privateApiApiRef } from './api';
import { isPrivateApiAvailable } from './conditions';

const privateApiClient = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: privateApiApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new PrivateApiClient(deps),
    }),
});

/** The "Private API" tab on API entities discovered by the catalogue. */
const privateApiEntityContent = EntityContentBlueprint.make({
  params: {
    path: '/private-api',
    title: 'Private API',
    filter: isPrivateApiAvailable,
    loader: () =>
      import('./components/PrivateApiContent').then(m => (
        <m.PrivateApiContent />
      )),
  },
});

/**
 * The private API catalogue for Backstage's new frontend system.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: PRIVATE_API_PLUGIN_ID,
  extensions: [privateApiClient, privateApiEntityContent],
});
