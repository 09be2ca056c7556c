import { mockServices } from '@backstage/backend-test-utils';
import { ConflictError } from '@backstage/errors';
import type { PrivateApiConfig } from '../config/config';
import type { InventoryStore } from '../inventory/InventoryStore';
import type { DiscoveryRunner } from './DiscoveryRunner';
import { scheduleDiscoveryShards } from './schedule';
import { allShards, shardOf } from './shards';

function setup(overrides: Partial<PrivateApiConfig> = {}) {
  const tasks = new Map<string, { fn: () => Promise<void>; frequency: any }>();
  const scheduler = mockServices.scheduler.mock({
    scheduleTask: jest.fn(async task => {
      tasks.set(task.id, { fn: task.fn as any, frequency: task.frequency });
    }),
    triggerTask: jest.fn(async () => {}),
  });
  const pending: Array<() => void> = [];
  const runner = {
    runShard: jest.fn(
      () =>
        new Promise(resolve => {
          pending.push(() =>
            resolve({ runId: 'r', scopes: [], durationMs: 0 }),
          );
        }),
    ),
  };
  const store = { requestDiscovery: jest.fn(async () => {}) };
  const config = {
    schedule: {
      frequency: { minutes: 30 },
      timeout: { minutes: 25 },
      scope: 'global',
    },
    shards: 4,
    maxShardsPerReplica: 4,
    ...overrides,
  } as PrivateApiConfig;
  return {
    tasks,
    scheduler,
    runner,
    store,
    pending,
    start: () =>
      scheduleDiscoveryShards({
        scheduler,
        runner: runner as unknown as DiscoveryRunner,
        store: store as unknown as InventoryStore,
        logger: mockServices.logger.mock(),
        config,
      }),
  };
}

describe('scheduleDiscoveryShards', () => {
  it('schedules one global task per shard that looks for due accounts every tenth of the cycle', async () => {
    const { tasks, start } = setup();
    await start();
    expect([...tasks.keys()]).toEqual([
      'private-api:discovery:shard-1-of-4',
      'private-api:discovery:shard-2-of-4',
      'private-api:discovery:shard-3-of-4',
      'private-api:discovery:shard-4-of-4',
    ]);
    // 30 minutes / 10 = 3 minutes, capped at one minute.
    expect(tasks.get('private-api:discovery:shard-1-of-4')!.frequency).toEqual({
      milliseconds: 60_000,
    });
  });

  it('keeps a cron schedule as it is: every run crawls its shard', async () => {
    const { tasks, runner, pending, start } = setup({
      schedule: { frequency: { cron: '0 * * * *' }, timeout: { minutes: 5 } },
    });
    await start();
    const task = tasks.get('private-api:discovery:shard-2-of-4')!;
    expect(task.frequency).toEqual({ cron: '0 * * * *' });
    const before = Date.now();
    const run = task.fn();
    pending.forEach(resolve => resolve());
    await run;
    const [shard, options] = runner.runShard.mock.calls[0] as any;
    expect(shard).toEqual({ index: 1, count: 4 });
    expect(options.startedBefore.getTime()).toBeGreaterThanOrEqual(before);
  });

  it('leaves shards to other replicas past maxShardsPerReplica', async () => {
    const { tasks, runner, pending, start } = setup({ maxShardsPerReplica: 2 });
    await start();
    const runs = [...tasks.values()].map(t => t.fn());
    // Two shards run here; the other two returned at once, for a peer to claim.
    expect(runner.runShard).toHaveBeenCalledTimes(2);
    pending.forEach(resolve => resolve());
    await Promise.all(runs);
    // With capacity back, the next look runs the shard here.
    const again = tasks.get('private-api:discovery:shard-4-of-4')!.fn();
    pending.at(-1)!();
    await again;
    expect(runner.runShard).toHaveBeenCalledTimes(3);
  });

  it('"Start discovery now" records the request and triggers every shard, running ones included', async () => {
    const { scheduler, store, start } = setup();
    scheduler.triggerTask.mockImplementation(async id => {
      if (id.endsWith('shard-3-of-4')) {
        throw new ConflictError(`Task ${id} is currently running`);
      }
    });
    const trigger = await start();
    await trigger();
    expect(store.requestDiscovery).toHaveBeenCalledTimes(1);
    expect(scheduler.triggerTask).toHaveBeenCalledTimes(4);
  });
});

describe('shardOf', () => {
  it('puts every account in exactly one shard, the same one every time', () => {
    const accounts = Array.from({ length: 200 }, (_, i) =>
      String(100000000000 + i * 7919),
    );
    const counts = new Map<number, number>();
    for (const account of accounts) {
      const shard = shardOf(account, 4);
      expect(shardOf(account, 4)).toBe(shard);
      expect(allShards(4).map(s => s.index)).toContain(shard);
      counts.set(shard, (counts.get(shard) ?? 0) + 1);
    }
    // Spread over all shards (a hash, not a range of ids).
    expect(counts.size).toBe(4);
  });
});
