import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  search?: {
    collators?: {
      /** The private API catalogue's search collator. */
      privateApi?: {
        /**
         * How often to reindex the discovered APIs. Default: every 10 minutes, first after
         * 10 seconds.
         */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      };
    };
  };
}
