import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  PriceBook,
  PRIVATE_API_PLUGIN_ID,
  privateApiPermissions,
} from '@private-api-catalog/plugin-private-api-common';
import { isDiscoveryConfigured } from './config/config';
import { createDiscoveryRunner } from './discovery/createDiscoveryRunner';
import { InventoryStore } from './inventory/InventoryStore';
import { createRouter } from './service/router';

/** The scheduler task id of discovery, global across backend replicas. */
export const DISCOVERY_TASK_ID = 'private-api:discovery';

/**
 * The `private-api` backend plugin: discovery of API Gateway APIs across accounts and
 * Regions on a schedule, the stored inventory, and the REST API the frontend and the
 * catalog module read.
 *
 * @public
 */
export const privateApiPlugin = createBackendPlugin({
  pluginId: PRIVATE_API_PLUGIN_ID,
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        database: coreServices.database,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        logger: coreServices.logger,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        scheduler: coreServices.scheduler,
      },
      async init({
        config,
        database,
        httpAuth,
        httpRouter,
        logger,
        permissions,
        permissionsRegistry,
        scheduler,
      }) {
        permissionsRegistry.addPermissions(privateApiPermissions);
        const store = await InventoryStore.create({ database });

        let triggerDiscovery: (() => Promise<void>) | undefined;
        let prices: PriceBook | undefined;
        if (isDiscoveryConfigured(config)) {
          const { runner, config: privateApiConfig } = createDiscoveryRunner({
            rootConfig: config,
            store,
            logger,
          });
          await scheduler.scheduleTask({
            id: DISCOVERY_TASK_ID,
            ...privateApiConfig.schedule,
            fn: async () => {
              await runner.run();
            },
          });
          triggerDiscovery = () => scheduler.triggerTask(DISCOVERY_TASK_ID);
          prices = privateApiConfig.prices;
        } else {
          logger.warn(
            'privateApi is not configured: discovery is off and the inventory stays as it is. See the plugin README to configure accounts and Regions.',
          );
        }

        httpRouter.use(
          await createRouter({
            logger,
            httpAuth,
            permissions,
            store,
            triggerDiscovery,
            prices,
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
