import {
  coreServices,
  createBackendModule,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import {
  catalogProcessingExtensionPoint,
  catalogServiceRef,
} from '@backstage/plugin-catalog-node';
import { readPrivateApiConfig, readSchedule } from '../config/config';
import { IntegrationComponentProcessor } from './IntegrationComponentProcessor';
import { PrivateApiEntityProvider } from './PrivateApiEntityProvider';

/** How often the module checks the inventory for changed scopes (a cheap call). */
const DEFAULT_CATALOG_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { seconds: 30 },
  timeout: { minutes: 10 },
  initialDelay: { seconds: 5 },
  scope: 'global',
};

/**
 * Catalog module that turns the private-api plugin's inventory into `API` entities (and
 * `Resource` entities for execute-api VPC endpoints and the Lambda functions and load
 * balancers behind the APIs), and relates Components that carry such a function's or load
 * balancer's ARN to the APIs in front of them.
 *
 * @public
 */
export const catalogModulePrivateApiEntityProvider = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'private-api-entity-provider',
  register(env) {
    env.registerInit({
      deps: {
        auth: coreServices.auth,
        catalog: catalogServiceRef,
        catalogProcessing: catalogProcessingExtensionPoint,
        config: coreServices.rootConfig,
        discovery: coreServices.discovery,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
      },
      async init({
        auth,
        catalog,
        catalogProcessing,
        config,
        discovery,
        logger,
        scheduler,
      }) {
        const privateApiConfig = readPrivateApiConfig(config);
        const schedule = readSchedule(
          config,
          'privateApi.catalog.schedule',
          DEFAULT_CATALOG_SCHEDULE,
        );
        catalogProcessing.addEntityProvider(
          PrivateApiEntityProvider.create({
            auth,
            catalog,
            discovery,
            logger,
            scheduler,
            schedule,
            transform: {
              tagKeys: privateApiConfig.tagKeys,
              defaults: privateApiConfig.defaults,
            },
          }),
        );
        catalogProcessing.addProcessor(
          new IntegrationComponentProcessor(catalog, auth),
        );
      },
    });
  },
});
