import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import Knex from 'knex';
import {
  generateEstate,
  Simulator,
  start,
} from '@private-api-catalog/aws-simulator';
import { startRequestGate } from '../__testUtils__/requestGate';
import { shardOf } from './shards';

jest.setTimeout(900_000);

/** Set by scripts/with-postgres.sh; replicas can only share a database server. */
const postgresUrl = Object.entries(process.env).find(([key]) =>
  /^BACKSTAGE_TEST_DATABASE_POSTGRES\d+_CONNECTION_STRING$/.test(key),
)?.[1];

interface ReplicaLine {
  replica: string;
  ready?: boolean;
  message?: string;
}

/** A backend replica in its own process (src/__testUtils__/replica.ts). */
function startReplica(name: string, config: object) {
  const lines: ReplicaLine[] = [];
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '--require',
      require.resolve('@backstage/cli-node/config/nodeTransform.cjs'),
      path.resolve(__dirname, '../__testUtils__/replica.ts'),
    ],
    {
      env: {
        ...process.env,
        REPLICA_NAME: name,
        REPLICA_CONFIG: JSON.stringify(config),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr!.on('data', chunk => {
    stderr += chunk;
  });
  readline.createInterface({ input: child.stdout! }).on('line', line => {
    try {
      lines.push(JSON.parse(line));
    } catch {
      // not one of the replica's JSON lines
    }
  });
  const exited = new Promise<void>(resolve =>
    child.once('exit', () => resolve()),
  );
  return {
    lines,
    stderr: () => stderr,
    exited: () => child.exitCode !== null,
    /** Shards this replica started a crawl of, from its discovery log lines. */
    shardsStarted: () =>
      lines
        .map(
          l =>
            /^Discovery shard (\d+)\/\d+ \S+ started:/.exec(
              l.message ?? '',
            )?.[1],
        )
        .filter((shard): shard is string => shard !== undefined),
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

async function waitFor(check: () => Promise<boolean> | boolean, what: string) {
  // A bound for a stuck run only: nothing here waits on a timer to decide an outcome.
  const deadline = Date.now() + 300_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise(resolve => setTimeout(resolve, 250));
  }
}

/** The discovery cycle of the test: shards look for due accounts every tenth of it. */
const CYCLE_MINUTES = 2;
const CYCLE_MS = CYCLE_MINUTES * 60_000;

(postgresUrl ? describe : describe.skip)(
  'discovery shared by two backend replicas on one PostgreSQL',
  () => {
    let simulator: Simulator;
    let gate: Awaited<ReturnType<typeof startRequestGate>> | undefined;
    const replicas: Array<ReturnType<typeof startReplica>> = [];

    afterAll(async () => {
      await Promise.all(replicas.map(r => r.stop()));
      await gate?.stop();
      await simulator?.stop();
    });

    it('splits the shards between the replicas and crawls each account once per cycle', async () => {
      simulator = await start({
        estate: generateEstate({
          accounts: 8,
          restApisPerAccount: 3,
          httpApisPerAccount: 1,
          regions: 1,
          seed: 5,
        }),
        quotas: false,
      });
      // Every AWS call waits at the gate until every shard has started its crawl: a
      // replica running its two shards stays busy, however fast or slow the machine, and
      // passes the other shards to its peer.
      gate = await startRequestGate(simulator.url);
      const accounts = simulator.estate.accounts.map(a => a.id);
      const prefix = `replicas_${Date.now()}_`;
      const config = {
        backend: {
          baseUrl: 'http://127.0.0.1',
          database: { client: 'pg', connection: postgresUrl, prefix },
        },
        aws: {
          mainAccount: { accessKeyId: 'k', secretAccessKey: 's' },
          accountDefaults: { roleName: 'BackstageDiscovery' },
        },
        privateApi: {
          accounts: simulator.estate.accounts.map(a => ({
            accountId: a.id,
            name: a.name,
          })),
          regions: ['us-east-1'],
          endpoints: { default: gate.url },
          quotas: { enabled: false },
          // Far above the time a call may wait at the gate: a timed-out call would be
          // retried and listed twice.
          requestTimeoutMs: 600_000,
          // Shards look for due accounts every 12 s. A run held at the gate must keep its
          // shard's lock, so the task timeout is far above the hold.
          schedule: {
            frequency: { minutes: CYCLE_MINUTES },
            timeout: { minutes: 30 },
            initialDelay: { seconds: 1 },
          },
          shards: 4,
          maxShardsPerReplica: 2,
        },
      };
      const shardsWithAccounts = new Set(
        accounts.map(id => String(shardOf(id, 4) + 1)),
      );
      // More shards with accounts than one replica may run at once.
      expect(shardsWithAccounts.size).toBeGreaterThan(2);

      process.env.AWS_ENDPOINT_URL_STS = gate.url;
      // One after the other, as a rolling deployment starts them: two backends creating
      // Backstage's scheduler tables in the same instant collide in its migrations.
      const ready = (replica: ReturnType<typeof startReplica>) =>
        waitFor(() => {
          if (replica.exited()) {
            throw new Error(`A replica stopped: ${replica.stderr()}`);
          }
          return replica.lines.some(l => l.ready);
        }, 'a replica to start');
      replicas.push(startReplica('a', config));
      await ready(replicas[0]);

      const db = Knex({
        client: 'pg',
        pool: { min: 0, max: 1 },
        connection: `${postgresUrl}/${prefix}private-api`,
      });
      try {
        // The crawl log: every start of an account's crawl, from the scopes table that
        // replica a's migrations created (starts made before the trigger are copied in
        // under the trigger's table lock, so none is missed).
        await db.transaction(async tx => {
          await tx.raw(
            `CREATE TABLE test_crawl_starts (account_id text, started_at timestamptz)`,
          );
          await tx.raw(`CREATE FUNCTION test_log_crawl_start() RETURNS trigger AS $$
            BEGIN
              INSERT INTO test_crawl_starts VALUES (NEW.account_id, NEW.last_started_at);
              RETURN NEW;
            END $$ LANGUAGE plpgsql`);
          await tx.raw(`CREATE TRIGGER test_crawl_start
            AFTER INSERT OR UPDATE OF last_started_at ON private_api_scopes
            FOR EACH ROW EXECUTE FUNCTION test_log_crawl_start()`);
          await tx.raw(`INSERT INTO test_crawl_starts
            SELECT account_id, last_started_at FROM private_api_scopes
            WHERE last_started_at IS NOT NULL`);
        });

        replicas.push(startReplica('b', config));
        await ready(replicas[1]);

        const scopesWith = async (column: string) => {
          if (replicas.some(r => r.exited())) {
            throw new Error(
              `A replica stopped: ${replicas.map(r => r.stderr()).join('\n')}`,
            );
          }
          const [{ n }] = await db('private_api_scopes')
            .whereNotNull(column)
            .count({ n: '*' });
          return Number(n);
        };

        // Every shard started its crawl while every call waits at the gate: the first
        // cycle's split, as each replica logged it.
        await waitFor(
          async () =>
            (await scopesWith('last_started_at')) === accounts.length &&
            new Set(replicas.flatMap(r => r.shardsStarted())).size ===
              shardsWithAccounts.size,
          'every shard to start its crawl',
        );
        const [a, b] = replicas.map(r => new Set(r.shardsStarted()));
        gate.open();
        await waitFor(
          async () => (await scopesWith('last_success_at')) === accounts.length,
          'every account to be crawled',
        );

        // Both replicas crawled shards, neither more than its share at once, and no shard
        // started on both: the replicas split the shard tasks.
        expect(a.size).toBeGreaterThan(0);
        expect(b.size).toBeGreaterThan(0);
        expect(a.size).toBeLessThanOrEqual(2);
        expect(b.size).toBeLessThanOrEqual(2);
        expect([...a].filter(shard => b.has(shard))).toEqual([]);

        // Nothing is crawled after this, so the crawl log and the simulator's counts agree.
        await Promise.all(replicas.map(r => r.stop()));
        const starts = await db('test_crawl_starts')
          .select('account_id', 'started_at')
          .orderBy('started_at');
        const listed = simulator.stats().calls['apigateway:GetRestApis'] ?? {};
        for (const id of accounts) {
          const times = starts
            .filter(s => s.account_id === id)
            .map(s => new Date(s.started_at).getTime());
          // Consecutive crawls of an account are at least a cycle apart, whichever replica
          // ran them (a run on a slow machine may outlast a cycle and crawl it again).
          const gaps = times.slice(1).map((t, i) => t - times[i]);
          expect({ id, tooSoon: gaps.filter(gap => gap < CYCLE_MS) }).toEqual({
            id,
            tooSoon: [],
          });
          // Each crawl listed the account once; only a crawl cut short by the stop may
          // not have listed it yet.
          expect(listed[id]).toBeGreaterThanOrEqual(
            Math.max(1, times.length - 1),
          );
          expect(listed[id]).toBeLessThanOrEqual(times.length);
        }
      } finally {
        await db.destroy();
      }
    });
  },
);
