import {
  LoggerService,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import type { PrivateApiConfig } from '../config/config';
import type { InventoryStore } from '../inventory/InventoryStore';
import type { DiscoveryRunner } from './DiscoveryRunner';
import { allShards, shardTaskId } from './shards';

/** The prefix of the scheduler task ids of discovery's shards, global across replicas. */
export const DISCOVERY_TASK_ID = 'private-api:discovery';

const MINUTE_MS = 60_000;

/** The length of a discovery cycle when the schedule's frequency is a duration. */
export function cycleMilliseconds(
  frequency: SchedulerServiceTaskScheduleDefinition['frequency'],
): number | undefined {
  if ('cron' in frequency || 'trigger' in frequency) return undefined;
  if ('toMillis' in frequency && typeof frequency.toMillis === 'function') {
    return frequency.toMillis();
  }
  const d = frequency as Record<string, number | undefined>;
  const ms =
    (d.years ?? 0) * 365 * 86_400_000 +
    (d.months ?? 0) * 30 * 86_400_000 +
    (d.weeks ?? 0) * 7 * 86_400_000 +
    (d.days ?? 0) * 86_400_000 +
    (d.hours ?? 0) * 3_600_000 +
    (d.minutes ?? 0) * MINUTE_MS +
    (d.seconds ?? 0) * 1000 +
    (d.milliseconds ?? 0);
  return ms > 0 ? ms : undefined;
}

/**
 * Schedules discovery as one global scheduler task per shard, on every replica: the
 * scheduler's lock in the shared database lets one replica at a time run a shard.
 *
 * With a frequency duration (the default, 30 minutes), each shard task looks for due
 * accounts every tenth of the cycle (1 s to 1 minute) and crawls those not started within
 * the cycle, so an account is crawled once per cycle whichever replica runs it, and a
 * replica running `maxShardsPerReplica` shards passes further due shards on to its peers.
 * With a cron or manual schedule, each shard crawls all its accounts on every run.
 *
 * Returns what "Start discovery now" calls: it records the request in the database (every
 * shard then crawls its accounts, on whichever replica) and triggers every shard.
 */
export async function scheduleDiscoveryShards(options: {
  scheduler: SchedulerService;
  runner: DiscoveryRunner;
  store: InventoryStore;
  logger: LoggerService;
  config: PrivateApiConfig;
  /** Wraps every shard run that crawls something (status tracking and signals). */
  around?: <T>(crawl: () => Promise<T>) => Promise<T>;
}): Promise<() => Promise<void>> {
  const { scheduler, runner, store, logger, config, around } = options;
  const cycleMs = cycleMilliseconds(config.schedule.frequency);
  const shards = allShards(config.shards);
  let running = 0;

  for (const shard of shards) {
    const id = shardTaskId(DISCOVERY_TASK_ID, shard);
    await scheduler.scheduleTask({
      ...config.schedule,
      id,
      frequency:
        cycleMs === undefined
          ? config.schedule.frequency
          : {
              milliseconds: Math.min(
                MINUTE_MS,
                Math.max(1000, Math.round(cycleMs / 10)),
              ),
            },
      fn: async () => {
        if (running >= config.maxShardsPerReplica) {
          logger.debug(
            `${id}: this replica already runs ${running} shard(s); leaving it to another replica`,
          );
          return;
        }
        running += 1;
        try {
          await runner.runShard(shard, {
            startedBefore:
              cycleMs === undefined
                ? new Date() // every run of a cron schedule crawls the shard
                : new Date(Date.now() - cycleMs),
            around,
          });
        } finally {
          running -= 1;
        }
      },
    });
  }

  return async () => {
    await store.requestDiscovery(new Date());
    for (const shard of shards) {
      try {
        await scheduler.triggerTask(shardTaskId(DISCOVERY_TASK_ID, shard));
      } catch (error) {
        // A shard running right now crawls its accounts not started since the request
        // on its next look, a tenth of a cycle later.
        if (!(error instanceof Error && error.name === 'ConflictError')) {
          throw error;
        }
      }
    }
  };
}
