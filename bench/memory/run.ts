/*
 * Memory benchmark: peak RSS of the backend's discovery during a full crawl of a large
 * generated estate, with the simulator in its own process (its memory is not counted).
 *
 * This process is the backend side: the real SDK clients, the discovery runner and the
 * inventory on SQLite (a file, as a single backend would use) or PostgreSQL (run under
 * scripts/with-postgres.sh). It samples its own RSS every 20 ms and reads the kernel's
 * high-water mark (VmHWM) at the end.
 *
 * Usage: npm run bench:memory -- [accounts=10,rest=8000,http=2000,regions=1,seed=1] [--db sqlite|postgres] [--save]
 */
import { ConfigReader } from '@backstage/config';
import type { LoggerService } from '@backstage/backend-plugin-api';
import Knex, { Knex as KnexType } from 'knex';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { ids } from '../../packages/aws-simulator/src/ids';
import { InventoryStore } from '../../plugins/private-api-backend/src/inventory/InventoryStore';
import { createDiscoveryRunner } from '../../plugins/private-api-backend/src/discovery/createDiscoveryRunner';

const args = process.argv.slice(2);
const spec =
  args.find(a => a.startsWith('accounts=')) ??
  'accounts=10,rest=8000,http=2000,regions=1,seed=1';
const db = args.includes('--db') ? args[args.indexOf('--db') + 1] : 'sqlite';
const MiB = 2 ** 20;
const profileDir = args.includes('--cpu-prof-dir')
  ? path.resolve(args[args.indexOf('--cpu-prof-dir') + 1])
  : undefined;

const logger: LoggerService = {
  info: message => console.log(`  ${message}`),
  warn: message => console.log(`  ${message}`),
  error: message => console.error(`  ${message}`),
  // Each scope's step timings (where the post-crawl time goes).
  debug: message => {
    if (message.startsWith('Discovery of ')) console.log(`  ${message}`);
  },
  child: () => logger,
};

/** The simulator CLI in its own process; resolves with its URL and a stop function. */
async function startSimulator() {
  const child = spawn(
    process.execPath,
    [
      // --cpu-prof-dir DIR: profile the simulator too (the backend side: node --cpu-prof).
      ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
      path.resolve(__dirname, '../../packages/aws-simulator/bin/aws-simulator'),
      '--port',
      '0',
      '--generate',
      spec,
      '--no-quotas',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', code => reject(new Error(`simulator exited (${code})`)));
    readline.createInterface({ input: child.stdout! }).on('line', line => {
      const match = /listening on (\S+)/.exec(line);
      if (match) resolve(match[1]);
    });
  });
  return {
    url,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise(resolve => child.once('exit', resolve));
    },
  };
}

async function openKnex(): Promise<{ knex: KnexType; cleanup: () => void }> {
  if (db === 'sqlite') {
    const file = path.join(os.tmpdir(), `bench-memory-${process.pid}.sqlite`);
    return {
      knex: Knex({
        client: 'better-sqlite3',
        connection: { filename: file },
        useNullAsDefault: true,
      }),
      cleanup: () => {
        for (const suffix of ['', '-wal', '-shm', '-journal']) {
          fs.rmSync(`${file}${suffix}`, { force: true });
        }
      },
    };
  }
  if (db !== 'postgres')
    throw new Error(`--db is sqlite or postgres, not ${db}`);
  const url = Object.entries(process.env).find(([k]) =>
    /^BACKSTAGE_TEST_DATABASE_POSTGRES\d+_CONNECTION_STRING$/.test(k),
  )?.[1];
  if (!url) {
    throw new Error(
      '--db postgres needs a server: run under scripts/with-postgres.sh',
    );
  }
  const name = `bench_memory_${Date.now()}`;
  const admin = Knex({ client: 'pg', connection: url });
  await admin.raw(`CREATE DATABASE ${name}`);
  await admin.destroy();
  return {
    knex: Knex({ client: 'pg', connection: `${url}/${name}` }),
    cleanup: () => {},
  };
}

/**
 * Resident memory by kind (kernel): anonymous (the JS heap, malloc: SQLite's page cache,
 * socket buffers), file-backed (code, mapped files) and shared (SQLite's WAL index).
 */
function residentKindsMiB(): string {
  const status = fs.readFileSync('/proc/self/status', 'utf8');
  const kb = (field: string) =>
    Math.round(
      Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) /
        1024,
    );
  return `anon=${kb('RssAnon')} file=${kb('RssFile')} shmem=${kb('RssShmem')}`;
}

/** The kernel's peak resident set size of this process. */
function highWaterMarkMiB(): number {
  const status = fs.readFileSync('/proc/self/status', 'utf8');
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

async function main() {
  const simulator = await startSimulator();
  const { knex, cleanup } = await openKnex();
  const store = await InventoryStore.create({
    database: { getClient: async () => knex },
  });
  const accounts = generatedAccountIds();
  process.env.AWS_ENDPOINT_URL_STS = simulator.url;
  const rootConfig = new ConfigReader({
    aws: {
      mainAccount: { accessKeyId: 'bench', secretAccessKey: 'bench' },
      accountDefaults: { roleName: 'BackstageDiscovery' },
    },
    privateApi: {
      accounts: accounts.map(accountId => ({ accountId })),
      regions: ['us-east-1'],
      endpoints: { default: simulator.url },
      quotas: { enabled: false },
    },
  });
  const { runner } = createDiscoveryRunner({ rootConfig, store, logger });

  const loadAtStart = os.loadavg();
  const baselineMiB = Math.round(process.memoryUsage().rss / MiB);
  const started = Date.now();
  let peakSampledMiB = baselineMiB;
  let peakHeapMiB = 0;
  let peakExternalMiB = 0;
  const trace = args.includes('--trace');
  const timer = setInterval(() => {
    const usage = process.memoryUsage();
    peakSampledMiB = Math.max(peakSampledMiB, Math.round(usage.rss / MiB));
    peakHeapMiB = Math.max(peakHeapMiB, Math.round(usage.heapUsed / MiB));
    peakExternalMiB = Math.max(
      peakExternalMiB,
      Math.round(usage.external / MiB),
    );
  }, 20);
  // Every 30 s of wall time (the 20 ms sampler is starved on a busy machine).
  const tracer = setInterval(() => {
    if (!trace) return;
    const usage = process.memoryUsage();
    console.log(
      `  t=${Math.round((Date.now() - started) / 1000)}s rss=${Math.round(
        usage.rss / MiB,
      )} (${residentKindsMiB()}) heap=${Math.round(
        usage.heapUsed / MiB,
      )} (of ${Math.round(
        usage.heapTotal / MiB,
      )} reserved) external=${Math.round(
        usage.external / MiB,
      )} arrayBuffers=${Math.round(usage.arrayBuffers / MiB)} MiB load=${os
        .loadavg()[0]
        .toFixed(1)}`,
    );
  }, 30_000);
  const summary = await runner.run();
  const wallSeconds = Math.round((Date.now() - started) / 1000);
  clearInterval(timer);
  clearInterval(tracer);
  const peakRssMiB = Math.max(peakSampledMiB, highWaterMarkMiB());
  const apis = summary.scopes.reduce((n, s) => n + s.apiCount, 0);

  await simulator.stop();
  await knex.destroy();
  cleanup();

  const result = {
    apis,
    db,
    accounts: accounts.length,
    failedScopes: summary.scopes.filter(s => !s.ok).length,
    wallSeconds,
    baselineRssMiB: baselineMiB,
    peakRssMiB,
    peakHeapMiB,
    peakExternalMiB,
    limitMiB: 1024,
  };
  const lines = [
    `Memory benchmark, ${spec}, ${db}, simulator in its own process (quotas off)`,
    `Machine: ${os.cpus().length} × ${
      os.cpus()[0]?.model ?? 'cpu'
    }, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${
      process.version
    }, ${os.platform()} ${os.release()}`,
    `Date: ${new Date().toISOString()}`,
    `Load average (1, 5, 15 min; the machine is shared): ${loadAtStart
      .map(l => l.toFixed(1))
      .join(', ')} at the start, ${os
      .loadavg()
      .map(l => l.toFixed(1))
      .join(', ')} at the end`,
    `full crawl of ${apis} APIs in ${wallSeconds} s (${Math.round(
      apis / wallSeconds,
    )} APIs/s), ${result.failedScopes} failed scopes`,
    `RSS at start ${baselineMiB} MiB, peak RSS ${peakRssMiB} MiB (limit 1024), peak heap ${peakHeapMiB} MiB, peak external ${peakExternalMiB} MiB`,
    JSON.stringify(result),
  ];
  console.log(lines.join('\n'));
  if (args.includes('--save')) {
    fs.writeFileSync(
      path.join(__dirname, `result-${apis}-${db}.txt`),
      `${lines.join('\n')}\n`,
    );
  }
}

/**
 * The generated estate's account ids, computed as the simulator's generator does, so this
 * process never holds the estate itself.
 */
function generatedAccountIds(): string[] {
  const count = Number(/accounts=(\d+)/.exec(spec)?.[1] ?? 1);
  const seed = /seed=(\d+)/.exec(spec)?.[1] ?? '1';
  return Array.from({ length: count }, (_, i) =>
    String(
      100000000000 +
        Math.floor(ids.unit(`gen:${seed}:account:${i}`) * 899999999999),
    ).slice(0, 12),
  );
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
