import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import Knex from 'knex';
import {
  generateEstate,
  Simulator,
  start,
} from '@private-api-catalog/aws-simulator';
import { shardOf } from './shards';

jest.setTimeout(300_000);

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
    /** Shard runs this replica finished, from its discovery log lines. */
    shardRuns: () =>
      lines
        .map(l => /^Discovery shard (\d+)\/\d+ /.exec(l.message ?? '')?.[1])
        .filter((shard): shard is string => shard !== undefined),
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

async function waitFor(check: () => Promise<boolean> | boolean, what: string) {
  const deadline = Date.now() + 180_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise(resolve => setTimeout(resolve, 250));
  }
}

(postgresUrl ? describe : describe.skip)(
  'discovery shared by two backend replicas on one PostgreSQL',
  () => {
    let simulator: Simulator;
    const replicas: Array<ReturnType<typeof startReplica>> = [];

    afterAll(async () => {
      await Promise.all(replicas.map(r => r.stop()));
      await simulator?.stop();
    });

    it('splits the shards between the replicas and crawls each account once per cycle', async () => {
      // Slow answers keep a replica busy with its shards while the others come due.
      simulator = await start({
        estate: generateEstate({
          accounts: 8,
          restApisPerAccount: 3,
          httpApisPerAccount: 1,
          regions: 1,
          seed: 5,
        }),
        quotas: false,
        // Every answer takes 3 s until both replicas have claimed their shards, so the
        // first replica up is still busy with its two when the other one starts polling.
        faults: [{ type: 'slow', delayMs: 3000 }],
      });
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
          endpoints: { default: simulator.url },
          quotas: { enabled: false },
          // Far above the slow answers: a timed-out call would be retried and counted twice.
          requestTimeoutMs: 30000,
          // A 2-minute cycle, longer than the test: shards look for due accounts
          // every 12 s, and an account crawled twice would be a bug, not a new cycle.
          schedule: {
            frequency: { minutes: 2 },
            timeout: { minutes: 2 },
            initialDelay: { seconds: 1 },
          },
          shards: 4,
          maxShardsPerReplica: 2,
        },
      };
      // More shards with accounts than one replica may run at once.
      const shardsWithAccounts = new Set(
        accounts.map(id => String(shardOf(id, 4) + 1)),
      );
      expect(shardsWithAccounts.size).toBeGreaterThan(2);

      process.env.AWS_ENDPOINT_URL_STS = simulator.url;
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
      replicas.push(startReplica('b', config));
      await ready(replicas[1]);

      // The scopes' status in the shared database.
      const db = Knex({
        client: 'pg',
        pool: { min: 0, max: 1 },
        connection: `${postgresUrl}/${prefix}private-api`,
      });
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
      try {
        // Every account started: every shard claimed, then answers get fast again.
        await waitFor(
          async () => (await scopesWith('last_started_at')) === accounts.length,
          'every shard to be claimed',
        );
        simulator.setFaults([]);
        await waitFor(
          async () => (await scopesWith('last_success_at')) === accounts.length,
          'every account to be crawled',
        );
      } finally {
        await db.destroy();
      }
      // Every shard with accounts logs its run when its last account is done.
      await waitFor(
        () =>
          new Set(replicas.flatMap(r => r.shardRuns())).size ===
          shardsWithAccounts.size,
        'the shard runs to be logged',
      );

      // Both replicas crawled shards, and no shard ran on both.
      const [a, b] = replicas.map(r => new Set(r.shardRuns()));
      expect(a.size).toBeGreaterThan(0);
      expect(b.size).toBeGreaterThan(0);
      expect([...a].filter(shard => b.has(shard))).toEqual([]);

      // Each account was listed exactly once: crawled once in this cycle.
      const listed = simulator.stats().calls['apigateway:GetRestApis'] ?? {};
      expect(Object.fromEntries(accounts.map(id => [id, listed[id]]))).toEqual(
        Object.fromEntries(accounts.map(id => [id, 1])),
      );
    });
  },
);
