import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import {
  accessRequestApplyPermission,
  accessRequestApprovePermission,
  accessRequestCreatePermission,
  accessRequestReadPermission,
  discoveryRefreshPermission,
  PriceBook,
  PRIVATE_API_PLUGIN_ID,
} from '@private-api-catalog/plugin-private-api-common';
import { AccessRequestService } from './access/AccessRequestService';
import { AccessRequestStore } from './access/AccessRequestStore';
import { AccessRequestNotifier } from './access/notifier';
import {
  accessRequestPermissionRules,
  accessRequestResourceRef,
} from './access/permissions';
import type { AwsClientFactory } from './aws/clients';
import { isDiscoveryConfigured, readPrivateApiConfig } from './config/config';
import { createDiscoveryRunner } from './discovery/createDiscoveryRunner';
import { DiscoveryStatusTracker } from './discovery/DiscoveryStatusTracker';
import { InventoryStore } from './inventory/InventoryStore';
import { addAccessRequestRoutes } from './service/accessRouter';
import { createRouter } from './service/router';

/** The scheduler task id of discovery, global across backend replicas. */
export const DISCOVERY_TASK_ID = 'private-api:discovery';

/**
 * The `private-api` backend plugin: discovery of API Gateway APIs across accounts and
 * Regions on a schedule, the stored inventory, the REST API the frontend and the catalog
 * module read, and the self-service VPC access requests.
 *
 * @public
 */
export const privateApiPlugin = createBackendPlugin({
  pluginId: PRIVATE_API_PLUGIN_ID,
  register(env) {
    env.registerInit({
      deps: {
        auth: coreServices.auth,
        catalog: catalogServiceRef,
        config: coreServices.rootConfig,
        database: coreServices.database,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        logger: coreServices.logger,
        notifications: notificationService,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        scheduler: coreServices.scheduler,
        signals: signalsServiceRef,
      },
      async init({
        auth,
        catalog,
        config,
        database,
        httpAuth,
        httpRouter,
        logger,
        notifications,
        permissions,
        permissionsRegistry,
        scheduler,
        signals,
      }) {
        const store = await InventoryStore.create({ database });
        const requests = await AccessRequestStore.create({ database });

        permissionsRegistry.addPermissions([
          accessRequestCreatePermission,
          discoveryRefreshPermission,
        ]);
        permissionsRegistry.addResourceType({
          resourceRef: accessRequestResourceRef,
          permissions: [
            accessRequestReadPermission,
            accessRequestApprovePermission,
            accessRequestApplyPermission,
          ],
          rules: Object.values(accessRequestPermissionRules),
          getResources: ids => Promise.all(ids.map(id => requests.get(id))),
        });

        const privateApiConfig = readPrivateApiConfig(config);
        let triggerDiscovery: (() => Promise<void>) | undefined;
        let tracker: DiscoveryStatusTracker | undefined;
        let prices: PriceBook | undefined;
        let clients: AwsClientFactory | undefined;
        let runner:
          | ReturnType<typeof createDiscoveryRunner>['runner']
          | undefined;
        if (isDiscoveryConfigured(config)) {
          ({ runner, clients } = createDiscoveryRunner({
            rootConfig: config,
            config: privateApiConfig,
            store,
            logger,
          }));
          prices = privateApiConfig.prices;
        } else {
          logger.warn(
            'privateApi is not configured: discovery is off and the inventory stays as it is. See the plugin README to configure accounts and Regions.',
          );
        }

        const service = new AccessRequestService({
          requests,
          inventory: store,
          config: privateApiConfig,
          clients,
          logger,
          notifier: new AccessRequestNotifier({ notifications, logger }),
          resolveOwners: async entityRef => {
            const entity = await catalog.getEntityByRef(entityRef, {
              credentials: await auth.getOwnServiceCredentials(),
            });
            const owners = (entity?.relations ?? [])
              .filter(r => r.type === 'ownedBy')
              .map(r => r.targetRef);
            const owner = entity?.spec?.owner;
            if (owners.length === 0 && typeof owner === 'string') {
              owners.push(
                stringifyEntityRef(
                  parseEntityRef(owner, {
                    defaultKind: 'group',
                    defaultNamespace: 'default',
                  }),
                ),
              );
            }
            return owners;
          },
        });

        if (runner) {
          const discovery = runner;
          const status = new DiscoveryStatusTracker({
            schedule: privateApiConfig.schedule,
            listScopes: () => store.listScopes(),
            signals,
          });
          tracker = status;
          // Open pages (crawl status, awaiting requests) follow the crawl live.
          discovery.onScopeCrawled(outcome => status.scopeCrawled(outcome));
          // The next crawl that sees an allowed caller verifies its request.
          discovery.onScopeCrawled(async outcome => {
            if (!outcome.ok) return;
            const verified = await service.verifyScope(
              outcome.accountId,
              outcome.region,
            );
            if (verified.length > 0) {
              logger.info(
                `Discovery verified ${verified.length} access request(s) in ${outcome.accountId}/${outcome.region}`,
              );
            }
          });
          await scheduler.scheduleTask({
            id: DISCOVERY_TASK_ID,
            ...privateApiConfig.schedule,
            fn: async () => {
              await status.track(() => discovery.run());
            },
          });
          triggerDiscovery = () => scheduler.triggerTask(DISCOVERY_TASK_ID);
        }

        const discoveryStatus = tracker;
        const router = await createRouter({
          logger,
          httpAuth,
          permissions,
          store,
          triggerDiscovery,
          discoveryStatus: discoveryStatus && (() => discoveryStatus.status()),
          prices,
        });
        addAccessRequestRoutes(router, {
          httpAuth,
          permissions,
          requests,
          service,
        });
        httpRouter.use(router);
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
