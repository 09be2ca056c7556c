import {
  coreServices,
  createBackendModule,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { searchIndexRegistryExtensionPoint } from '@backstage/plugin-search-backend-node/alpha';
import { PrivateApiCollatorFactory } from './collator/PrivateApiCollatorFactory';

/** A little more often than discovery's default 30-minute cycle, so new APIs show up soon. */
const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 10 },
  timeout: { minutes: 15 },
  initialDelay: { seconds: 10 },
};

/**
 * The search module of the private API catalogue: indexes one document per discovered
 * API (type `private-api`). Add it next to `@backstage/plugin-search-backend`.
 *
 * @public
 */
export const searchModulePrivateApiCollator = createBackendModule({
  pluginId: 'search',
  moduleId: 'private-api-collator',
  register(env) {
    env.registerInit({
      deps: {
        auth: coreServices.auth,
        config: coreServices.rootConfig,
        discovery: coreServices.discovery,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        indexRegistry: searchIndexRegistryExtensionPoint,
      },
      async init({
        auth,
        config,
        discovery,
        logger,
        scheduler,
        indexRegistry,
      }) {
        const scheduleConfig = config.getOptionalConfig(
          'search.collators.privateApi.schedule',
        );
        const schedule = scheduleConfig
          ? readSchedulerServiceTaskScheduleDefinitionFromConfig(scheduleConfig)
          : DEFAULT_SCHEDULE;
        indexRegistry.addCollator({
          schedule: scheduler.createScheduledTaskRunner(schedule),
          factory: new PrivateApiCollatorFactory({ auth, discovery, logger }),
        });
      },
    });
  },
});
