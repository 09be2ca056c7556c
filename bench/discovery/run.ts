/*
 * Discovery benchmark: crawls a generated estate through the real SDK clients against the
 * simulator with AWS's control-plane quotas on, then re-crawls it incrementally, and
 * compares both with the quota lower bound of AWS-FACTS §7:
 *
 *   per account: max(GetResources calls / 2.5 per s, API Gateway calls / 10 per s)
 *
 * taken over the calls the crawl actually made (from the simulator's counters); accounts
 * are crawled in parallel, so the estate's bound is the slowest account's.
 *
 * Usage: npm run bench:discovery -- [accounts=10,rest=200,http=50,regions=1,seed=1] [--latency MS]
 */
import { ConfigReader } from '@backstage/config';
import type { LoggerService } from '@backstage/backend-plugin-api';
import Knex from 'knex';
import os from 'node:os';
import fs from 'node:fs';
import path from 'node:path';
import {
  generateEstate,
  parseGenerateSpec,
  Simulator,
  start,
} from '@private-api-catalog/aws-simulator';
import { InventoryStore } from '../../plugins/private-api-backend/src/inventory/InventoryStore';
import { createDiscoveryRunner } from '../../plugins/private-api-backend/src/discovery/createDiscoveryRunner';

const args = process.argv.slice(2);
const spec =
  args.find(a => a.includes('=')) ??
  'accounts=10,rest=200,http=50,regions=1,seed=1';
const latencyMs = Number(args[args.indexOf('--latency') + 1] ?? 0) || 25;

const silentLogger: LoggerService = {
  info: () => {},
  warn: () => {},
  error: () => {},
  debug: () => {},
  child: () => silentLogger,
};

/** API Gateway calls per account, and GetResources calls per account, from the simulator. */
function callsByAccount(simulator: Simulator) {
  const stats = simulator.stats();
  const all = new Map<string, number>();
  const getResources = new Map<string, number>();
  for (const [key, byAccount] of Object.entries(stats.calls)) {
    if (!key.startsWith('apigateway')) continue;
    for (const [account, n] of Object.entries(byAccount)) {
      all.set(account, (all.get(account) ?? 0) + n);
      if (key === 'apigateway:GetResources')
        getResources.set(account, (getResources.get(account) ?? 0) + n);
    }
  }
  return {
    all,
    getResources,
    throttled: stats.totals.throttled,
    total: stats.totals.calls,
  };
}

function lowerBoundSeconds(calls: ReturnType<typeof callsByAccount>) {
  let bound = 0;
  for (const [account, n] of calls.all) {
    bound = Math.max(
      bound,
      (calls.getResources.get(account) ?? 0) / 2.5,
      n / 10,
    );
  }
  return bound;
}

/** Peak heap during a run, sampled every 50 ms (after a GC when --expose-gc is on). */
function heapSampler() {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  let peak = process.memoryUsage().heapUsed;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }, 50);
  return () => {
    clearInterval(timer);
    return Math.round(peak / 2 ** 20);
  };
}

async function crawl(
  label: string,
  simulator: Simulator,
  run: () => Promise<{
    scopes: Array<{
      ok: boolean;
      apiCount: number;
      apiDetailErrors: number;
      unchangedApis: number;
    }>;
  }>,
  expectedApis: number,
) {
  simulator.resetStats();
  const stopSampling = heapSampler();
  const started = process.hrtime.bigint();
  const summary = await run();
  const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const peakHeapMiB = stopSampling();
  const calls = callsByAccount(simulator);
  const found = summary.scopes.reduce((n, s) => n + s.apiCount, 0);
  const bound = lowerBoundSeconds(calls);
  return {
    label,
    wallSeconds,
    boundSeconds: bound,
    ratioToBound: wallSeconds / bound,
    apiGatewayCalls: [...calls.all.values()].reduce((a, b) => a + b, 0),
    allCalls: calls.total,
    callsPerApi:
      [...calls.all.values()].reduce((a, b) => a + b, 0) / expectedApis,
    throttled: calls.throttled,
    apisFound: found,
    apisMissing: expectedApis - found,
    failedScopes: summary.scopes.filter(s => !s.ok).length,
    apisWithStaleDetails: summary.scopes.reduce(
      (n, s) => n + s.apiDetailErrors,
      0,
    ),
    unchangedApis: summary.scopes.reduce((n, s) => n + s.unchangedApis, 0),
    /** The whole process: the simulator's estate, the SDK, the crawl and SQLite in memory. */
    peakHeapMiB,
  };
}

async function main() {
  const options = parseGenerateSpec(spec);
  const estate = generateEstate(options);
  // AWS's quotas are the simulator's defaults (AWS-FACTS §7); latency per call as configured.
  const simulator = await start({ estate, latencyMs });
  process.env.AWS_ENDPOINT_URL_STS = simulator.url;
  const expectedApis = simulator.estate.accounts
    .flatMap(a => [...a.regions.values()])
    .reduce((n, r) => n + r.restApis.length + r.v2Apis.length, 0);

  const knex = Knex({
    client: 'better-sqlite3',
    connection: ':memory:',
    useNullAsDefault: true,
  });
  const store = await InventoryStore.create({
    database: { getClient: async () => knex },
  });
  const rootConfig = new ConfigReader({
    aws: {
      mainAccount: { accessKeyId: 'bench', secretAccessKey: 'bench' },
      accountDefaults: { roleName: 'BackstageDiscovery' },
    },
    privateApi: {
      accounts: simulator.estate.accounts.map(a => ({
        accountId: a.id,
        name: a.name,
      })),
      regions: [
        ...new Set(
          simulator.estate.accounts.flatMap(a => [...a.regions.keys()]),
        ),
      ],
      endpoints: { default: simulator.url },
    },
  });
  const { runner } = createDiscoveryRunner({
    rootConfig,
    store,
    logger: silentLogger,
  });

  const full = await crawl(
    'full crawl',
    simulator,
    () => runner.run(),
    expectedApis,
  );
  const incremental = await crawl(
    'incremental re-crawl',
    simulator,
    () => runner.run(),
    expectedApis,
  );
  await simulator.stop();
  await knex.destroy();

  const result = {
    estate: `${spec} (${expectedApis} APIs), simulator latency ${latencyMs} ms per call, AWS quotas on`,
    machine: `${os.cpus().length} × ${
      os.cpus()[0]?.model ?? 'cpu'
    }, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${
      process.version
    }, ${os.platform()} ${os.release()}`,
    date: new Date().toISOString(),
    full,
    incremental,
    incrementalToFull: incremental.wallSeconds / full.wallSeconds,
    targets: {
      fullWithin115PercentOfBound: full.ratioToBound <= 1.15,
      incrementalUnder35PercentOfFull:
        incremental.wallSeconds / full.wallSeconds < 0.35,
      zeroApisMissing: full.apisMissing === 0 && incremental.apisMissing === 0,
    },
  };
  const fmt = (r: typeof full) =>
    `${r.label.padEnd(22)} wall ${r.wallSeconds.toFixed(
      1,
    )} s | bound ${r.boundSeconds.toFixed(
      1,
    )} s | ratio ${r.ratioToBound.toFixed(3)} | ` +
    `${r.callsPerApi.toFixed(2)} API Gateway calls/API (${
      r.allCalls
    } calls in all) | throttled ${r.throttled} | ` +
    `APIs ${r.apisFound} found, ${r.apisMissing} missing, ${r.unchangedApis} unchanged | failed scopes ${r.failedScopes} | peak heap ${r.peakHeapMiB} MiB`;
  const lines = [
    `estate:  ${result.estate}`,
    `machine: ${result.machine}`,
    fmt(full),
    fmt(incremental),
    `incremental / full: ${result.incrementalToFull.toFixed(3)}`,
    `targets: full <= 1.15 x bound: ${result.targets.fullWithin115PercentOfBound}; incremental < 0.35 x full: ${result.targets.incrementalUnder35PercentOfFull}; zero missing: ${result.targets.zeroApisMissing}`,
  ];
  console.log(lines.join('\n'));
  if (!args.includes('--no-save')) {
    fs.writeFileSync(
      path.join(__dirname, 'result.json'),
      `${JSON.stringify(result, null, 2)}\n`,
    );
    fs.writeFileSync(
      path.join(__dirname, 'result.txt'),
      `${lines.join('\n')}\n`,
    );
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
