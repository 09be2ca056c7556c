import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { PRIVATE_API_PLUGIN_ID } from '@private-api-catalog/plugin-private-api-common';
import { createRouter } from './service/router';

/**
 * The `private-api` backend plugin: discovery of API Gateway APIs, the stored inventory
 * and the REST API the frontend reads.
 *
 * @public
 */
export const privateApiPlugin = createBackendPlugin({
  pluginId: PRIVATE_API_PLUGIN_ID,
  register(env) {
    env.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
        logger: coreServices.logger,
      },
      async init({ httpRouter, logger }) {
        httpRouter.use(await createRouter({ logger }));
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
