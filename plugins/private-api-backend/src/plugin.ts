import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
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
  privateApiAdminPermission,
  PRIVATE_API_PLUGIN_ID,
} from '@private-api-catalog/plugin-private-api-common';
import { NotFoundError } from '@backstage/errors';
import { createConditionTransformer } from '@backstage/plugin-permission-node';
import { AccessAudit } from './access/audit';
import { AccessRequestService } from './access/AccessRequestService';
import { registerPrivateApiActions } from './actions/registerActions';
import { AccessRequestStore } from './access/AccessRequestStore';
import { AccessRequestNotifier } from './access/notifier';
import {
  accessRequestPermissionRules,
  accessRequestResourceRef,
} from './access/permissions';
import type { AwsClientFactory } from './aws/clients';
import { isDiscoveryConfigured, readPrivateApiConfig } from './config/config';
import { startChangeFeed } from './discovery/changeFeed';
import { createDiscoveryRunner } from './discovery/createDiscoveryRunner';
import { DiscoveryStatusTracker } from './discovery/DiscoveryStatusTracker';
import { scheduleDiscoveryShards } from './discovery/schedule';
import { InventoryStore } from './inventory/InventoryStore';
import { createPolicyWork } from './policyWork/PolicyWork';
import { addAccessRequestRoutes } from './service/accessRouter';
import { createRouter } from './service/router';
import { addSearchDocumentRoutes } from './service/searchRouter';

export { DISCOVERY_TASK_ID } from './discovery/schedule';

/** The scheduler task that settles applies whose process died (expired leases). */
export const ACCESS_RECOVERY_TASK_ID = 'private-api:access-recovery';

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
        actionsRegistry: actionsRegistryServiceRef,
        auth: coreServices.auth,
        auditor: coreServices.auditor,
        catalog: catalogServiceRef,
        config: coreServices.rootConfig,
        database: coreServices.database,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        lifecycle: coreServices.lifecycle,
        logger: coreServices.logger,
        notifications: notificationService,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        scheduler: coreServices.scheduler,
        signals: signalsServiceRef,
      },
      async init({
        actionsRegistry,
        auth,
        auditor,
        catalog,
        config,
        database,
        httpAuth,
        httpRouter,
        lifecycle,
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
          privateApiAdminPermission,
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
        // Analyses, grants and undos of large policies run off the event loop.
        const policyWork = createPolicyWork(
          privateApiConfig.policyWorkers,
          logger,
        );
        lifecycle.addShutdownHook(() => policyWork.close());
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
            // A crawl's analyses and index verdicts queue behind users' previews and applies.
            policyWork: policyWork.background(),
          }));
          prices = privateApiConfig.prices;
        } else {
          logger.warn(
            'privateApi is not configured: discovery is off and the inventory stays as it is. See the plugin README to configure accounts and Regions.',
          );
        }

        const audit = new AccessAudit(auditor, logger);
        const leaseMs = privateApiConfig.accessRequests.leaseSeconds * 1000;
        const service = new AccessRequestService({
          requests,
          inventory: store,
          config: privateApiConfig,
          locks: requests.createLocks({ ttlMs: leaseMs, waitMs: 2 * leaseMs }),
          clients,
          logger,
          audit,
          policyWork,
          crawlApi: runner
            ? (accountId, region, apiId) =>
                runner!.crawlApi(accountId, region, apiId)
            : undefined,
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
            const settled = await service.verifyScope(
              outcome.accountId,
              outcome.region,
              new Date(Date.now() - outcome.durationMs),
            );
            if (settled.length > 0) {
              logger.info(
                `Discovery settled ${settled.length} access request(s) in ${
                  outcome.accountId
                }/${outcome.region}: ${settled
                  .map(r => `${r.id} ${r.state}`)
                  .join(', ')}`,
              );
            }
          });
          await scheduler.scheduleTask({
            id: ACCESS_RECOVERY_TASK_ID,
            frequency: { seconds: Math.max(15, Math.round(leaseMs / 2000)) },
            timeout: { minutes: 10 },
            initialDelay: { seconds: 15 },
            scope: 'global',
            fn: async () => {
              await service.recoverExpiredApplies();
            },
          });
          triggerDiscovery = await scheduleDiscoveryShards({
            scheduler,
            runner: discovery,
            store,
            logger,
            config: privateApiConfig,
            around: crawl => status.track(crawl),
          });
          if (privateApiConfig.changeFeed.enabled && clients) {
            await startChangeFeed({
              runner: discovery,
              store,
              clients,
              config: privateApiConfig,
              logger,
              scheduler,
              lifecycle,
            });
          }
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
          audit,
          toFilter: createConditionTransformer(
            permissionsRegistry.getPermissionRuleset(accessRequestResourceRef),
          ),
        });
        addSearchDocumentRoutes(router, {
          store,
          policyWork: policyWork.background(),
          transform: {
            tagKeys: privateApiConfig.tagKeys,
            defaults: privateApiConfig.defaults,
          },
        });
        // Unknown routes answer a JSON 404 like every other error, not an empty page.
        router.use(req => {
          throw new NotFoundError(
            `No route ${req.method} ${req.path} in the private-api plugin; its REST API is described in the plugin's README`,
          );
        });
        httpRouter.use(router);

        registerPrivateApiActions({
          actionsRegistry,
          auth,
          permissions,
          store,
          service,
        });
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
