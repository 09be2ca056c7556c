/*
 * Discovery benchmark: crawls a generated estate through the real SDK clients against the
 * simulator with AWS's control-plane quotas on, then measures the change feed:
 *
 * - full: a full crawl, against the minimal-call bound computed from the estate (below);
 * - incremental: 1% of the APIs change (a new route, deployed), then one CloudTrail
 *   poll of the change feed re-crawls what the events name; its calls against the full
 *   crawl's (and, for comparison, the scheduled polling re-crawl without a feed);
 * - freshness: the same kind of changes, spread over time, with the EventBridge → SQS
 *   feed: seconds from each write in AWS to the change in the inventory, p95.
 *
 * The minimal-call bound (issue 14): per account, API Gateway calls = 1 GetStages + 1
 * export per distinct deployment for each REST and HTTP API, 4 per WebSocket API, plus the
 * listings of each account and Region; time = max(0, calls − 40 burst) / 10 per second;
 * accounts are crawled in parallel, so the estate's bound is the slowest account's.
 *
 * Usage: npm run bench:discovery -- [accounts=10,rest=200,http=50,regions=1,seed=1]
 *          [--latency MS] [--json] [--no-save] [--save-as NAME]
 */
import { ConfigReader } from '@backstage/config';
import type { LoggerService } from '@backstage/backend-plugin-api';
import Knex from 'knex';
import os from 'node:os';
import fs from 'node:fs';
import path from 'node:path';
import {
  Estate,
  generateEstate,
  parseGenerateSpec,
  Simulator,
  start,
} from '@private-api-catalog/aws-simulator';
import { InventoryStore } from '../../plugins/private-api-backend/src/inventory/InventoryStore';
import { createDiscoveryRunner } from '../../plugins/private-api-backend/src/discovery/createDiscoveryRunner';
import { changeFeedFor } from '../../plugins/private-api-backend/src/discovery/changeFeed';

const args = process.argv.slice(2);
const spec =
  args.find(a => a.includes('=')) ??
  'accounts=10,rest=200,http=50,regions=1,seed=1';
const option = (name: string) =>
  args.includes(name) ? args[args.indexOf(name) + 1] : undefined;
const latencyMs = Number(option('--latency') ?? 25);
const saveAs = option('--save-as') ?? 'result';
const CHANGED_SHARE = 0.01;
/** EventBridge delivers "within seconds" (AWS-FACTS §7, verify); the simulator waits this long. */
const EVENTBRIDGE_DELAY_SECONDS = 2;
const QUEUE = 'api-changes';

const silentLogger: LoggerService = {
  info: () => {},
  warn: () => {},
  error: () => {},
  debug: () => {},
  child: () => silentLogger,
};

const BURST = 40;
const RATE = 10;
const PAGE = 500;

/** The minimal-call bound of a full crawl, from the estate (see the header). */
function minimalBound(estate: Estate) {
  let slowest = 0;
  let calls = 0;
  for (const account of estate.accounts) {
    let n = 0;
    for (const region of account.regions.values()) {
      const deployments = (stages: Array<{ deploymentId: string }>) =>
        new Set(stages.map(s => s.deploymentId)).size;
      for (const api of region.restApis) n += 1 + deployments(api.stages);
      for (const api of region.v2Apis) {
        n += api.protocolType === 'WEBSOCKET' ? 4 : 1 + deployments(api.stages);
      }
      // Listings: REST and v2 APIs (pages of 500), VPC links v1 and v2, custom domains v1
      // and v2, domain access associations, and each domain's mappings.
      const publicDomains = region.domains.filter(
        d => d.endpointType !== 'PRIVATE',
      ).length;
      n +=
        Math.max(1, Math.ceil(region.restApis.length / PAGE)) +
        Math.max(1, Math.ceil(region.v2Apis.length / PAGE)) +
        5 +
        region.domains.length +
        publicDomains;
    }
    calls += n;
    slowest = Math.max(slowest, Math.max(0, n - BURST) / RATE);
  }
  return { seconds: slowest, apiGatewayCalls: calls };
}

function totals(simulator: Simulator) {
  const stats = simulator.stats();
  let apiGateway = 0;
  for (const [key, byAccount] of Object.entries(stats.calls)) {
    if (!key.startsWith('apigateway')) continue;
    for (const n of Object.values(byAccount)) apiGateway += n;
  }
  return {
    all: stats.totals.calls,
    apiGateway,
    throttled: stats.totals.throttled,
  };
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

async function timed<T>(fn: () => Promise<T>) {
  const started = process.hrtime.bigint();
  const value = await fn();
  return {
    value,
    seconds: Number(process.hrtime.bigint() - started) / 1e9,
  };
}

/** Every API of the estate with its account and Region, in a fixed order. */
function allApis(simulator: Simulator) {
  return simulator.estate.accounts.flatMap(a =>
    [...a.regions].flatMap(([region, state]) => [
      ...state.restApis.map(api => ({
        accountId: a.id,
        region,
        apiId: api.id,
      })),
      ...state.v2Apis.map(api => ({
        accountId: a.id,
        region,
        apiId: api.apiId,
      })),
    ]),
  );
}

/** A spread-out sample: every k-th API. */
function sample<T>(items: T[], share: number, offset: number): T[] {
  const count = Math.max(1, Math.round(items.length * share));
  const step = items.length / count;
  return Array.from(
    { length: count },
    (_, i) => items[(Math.floor(i * step) + offset) % items.length],
  );
}

function percentile(values: number[], p: number) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
}

async function main() {
  const options = parseGenerateSpec(spec);
  const estate = generateEstate(options);
  const simulator = await start({
    estate,
    latencyMs,
    changeFeed: { eventBridgeDelaySeconds: EVENTBRIDGE_DELAY_SECONDS },
  });
  process.env.AWS_ENDPOINT_URL_STS = simulator.url;
  const regions = [
    ...new Set(simulator.estate.accounts.flatMap(a => [...a.regions.keys()])),
  ];
  // One central queue per Region in the main account, fed by every account's events.
  for (const region of regions) {
    simulator.changeFeed.createQueue({
      accountId: simulator.estate.mainAccount,
      region,
      name: QUEUE,
    });
  }
  const apis = allApis(simulator);
  const bound = minimalBound(simulator.estate);

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
      regions,
      endpoints: { default: simulator.url },
      changeFeed: {
        sqsQueueUrl: Object.fromEntries(
          regions.map(r => [
            r,
            `${simulator.url}/${simulator.estate.mainAccount}/${QUEUE}`,
          ]),
        ),
      },
    },
  });
  const { runner, clients, config } = createDiscoveryRunner({
    rootConfig,
    store,
    logger: silentLogger,
  });
  const feed = changeFeedFor({
    runner,
    store,
    clients,
    config,
    logger: silentLogger,
  });

  // 1. Full crawl.
  simulator.resetStats();
  const stopSampling = heapSampler();
  const full = await timed(() => runner.run({ full: true }));
  const peakHeapMiB = stopSampling();
  const fullCalls = totals(simulator);
  const found = full.value.scopes.reduce((n, s) => n + s.apiCount, 0);
  const missing = apis.length - found;

  // 2. Scheduled polling without a feed, for comparison: one GetStages per API.
  simulator.resetStats();
  const polling = await timed(() => runner.run());
  const pollingCalls = totals(simulator);

  // 3. 1% of the APIs change; one CloudTrail poll re-crawls them.
  const changed = sample(apis, CHANGED_SHARE, 0);
  simulator.changeApis(changed.map(a => ({ ...a, path: '/bench-changed' })));
  simulator.resetStats();
  const incremental = await timed(() => feed.pollAll());
  const incrementalCalls = totals(simulator);
  let incrementalMissing = 0;
  for (const a of changed) {
    const api = await store.getApi(a.accountId, a.region, a.apiId);
    if (!api?.routes.some(r => r.routeKey.endsWith('/bench-changed')))
      incrementalMissing += 1;
  }

  // 4. Freshness through SQS: changes spread over ~10 s, each timed from its write.
  // The queue consumers started only now, so the changes of step 3 are in the queue too and
  // show as already covered.
  const fresh = sample(apis, CHANGED_SHARE, 1);
  const writtenAt = new Map<string, number>();
  const seenAt = new Map<string, number>();
  const key = (a: { accountId: string; region: string; apiId: string }) =>
    `${a.accountId}|${a.region}|${a.apiId}`;
  // Each re-crawl's end is when its APIs show; checking there, rather than polling the
  // inventory in a loop, keeps the watcher from taking the CPU the feed needs.
  let freshRecrawls = 0;
  let allSeen!: () => void;
  const everySeen = new Promise<void>(resolve => (allSeen = resolve));
  runner.onScopeCrawled(async outcome => {
    freshRecrawls += 1;
    const now = Date.now();
    for (const a of fresh) {
      if (a.accountId !== outcome.accountId || a.region !== outcome.region)
        continue;
      if (seenAt.has(key(a)) || !writtenAt.has(key(a))) continue;
      const api = await store.getApi(a.accountId, a.region, a.apiId);
      if (api?.routes.some(r => r.routeKey.endsWith('/bench-fresh')))
        seenAt.set(key(a), now);
    }
    if (seenAt.size === fresh.length) allSeen();
  });
  feed.startQueues();
  const spacingMs = 10_000 / fresh.length;
  const writer = (async () => {
    for (const a of fresh) {
      simulator.changeApis([{ ...a, path: '/bench-fresh' }]);
      writtenAt.set(key(a), Date.now());
      await new Promise(resolve => setTimeout(resolve, spacingMs));
    }
  })();
  // The writes take 10 s; each then has 180 s to show.
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>(resolve => {
    timer = setTimeout(resolve, 190_000);
  });
  await Promise.race([everySeen, deadline]);
  clearTimeout(timer);
  await writer;
  await feed.stop();
  const latencies = fresh.map(
    a => ((seenAt.get(key(a)) ?? Infinity) - writtenAt.get(key(a))!) / 1000,
  );

  await simulator.stop();
  await knex.destroy();

  const summary = {
    full: {
      seconds: round(full.seconds),
      minimalBoundSeconds: round(bound.seconds),
      awsCalls: fullCalls.all,
      missing,
    },
    incremental: {
      changedShare: CHANGED_SHARE,
      seconds: round(incremental.seconds),
      awsCalls: incrementalCalls.all,
    },
    freshness: {
      p95Seconds: round(percentile(latencies, 0.95)),
      mode: 'sqs',
    },
  };
  const result = {
    estate: `${spec} (${apis.length} APIs), simulator latency ${latencyMs} ms per call, AWS quotas on`,
    machine: `${os.cpus().length} × ${
      os.cpus()[0]?.model ?? 'cpu'
    }, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${
      process.version
    }, ${os.platform()} ${os.release()}`,
    date: new Date().toISOString(),
    full: {
      ...summary.full,
      ratioToBound: full.seconds / bound.seconds,
      apiGatewayCalls: fullCalls.apiGateway,
      minimalApiGatewayCalls: bound.apiGatewayCalls,
      throttled: fullCalls.throttled,
      failedScopes: full.value.scopes.filter(s => !s.ok).length,
      peakHeapMiB,
    },
    pollingWithoutFeed: {
      seconds: round(polling.seconds),
      awsCalls: pollingCalls.all,
      apiGatewayCalls: pollingCalls.apiGateway,
    },
    incremental: {
      ...summary.incremental,
      changedApis: changed.length,
      recrawled: incremental.value.recrawled,
      apiGatewayCalls: incrementalCalls.apiGateway,
      shareOfFullCalls: incrementalCalls.all / fullCalls.all,
      changesMissing: incrementalMissing,
    },
    freshness: {
      ...summary.freshness,
      changes: fresh.length,
      recrawls: freshRecrawls,
      maxSeconds: round(Math.max(...latencies)),
      eventBridgeDelaySeconds: EVENTBRIDGE_DELAY_SECONDS,
    },
    targets: {
      fullWithin110PercentOfBound: full.seconds <= 1.1 * bound.seconds,
      zeroMissing: missing === 0 && incrementalMissing === 0,
      incrementalAtMost5PercentOfFullCalls:
        incrementalCalls.all <= 0.05 * fullCalls.all,
      freshnessP95Within60Seconds: percentile(latencies, 0.95) <= 60,
    },
  };
  const lines = [
    `estate:  ${result.estate}`,
    `machine: ${result.machine}`,
    `full crawl            ${result.full.seconds} s | minimal-call bound ${
      result.full.minimalBoundSeconds
    } s | ratio ${result.full.ratioToBound.toFixed(3)} | API Gateway calls ${
      result.full.apiGatewayCalls
    } (minimal ${result.full.minimalApiGatewayCalls}) | ${
      result.full.awsCalls
    } AWS calls in all | throttled ${
      result.full.throttled
    } | missing ${missing} | peak heap ${peakHeapMiB} MiB`,
    `polling, no feed      ${result.pollingWithoutFeed.seconds} s | ${result.pollingWithoutFeed.awsCalls} AWS calls (${result.pollingWithoutFeed.apiGatewayCalls} API Gateway)`,
    `change feed (1%)      ${result.incremental.seconds} s | ${
      result.incremental.changedApis
    } APIs changed, ${result.incremental.recrawled} re-crawled | ${
      result.incremental.awsCalls
    } AWS calls (${result.incremental.apiGatewayCalls} API Gateway) = ${(
      result.incremental.shareOfFullCalls * 100
    ).toFixed(2)}% of a full crawl's | missing ${incrementalMissing}`,
    `freshness (SQS)       p95 ${result.freshness.p95Seconds} s, max ${result.freshness.maxSeconds} s over ${fresh.length} changes, ${freshRecrawls} scope re-crawls (EventBridge delay ${EVENTBRIDGE_DELAY_SECONDS} s)`,
    `targets: full <= 1.10 x bound: ${result.targets.fullWithin110PercentOfBound}; zero missing: ${result.targets.zeroMissing}; refresh <= 5% of full calls: ${result.targets.incrementalAtMost5PercentOfFullCalls}; freshness p95 <= 60 s: ${result.targets.freshnessP95Within60Seconds}`,
  ];
  console.log(lines.join('\n'));
  if (!args.includes('--no-save')) {
    fs.writeFileSync(
      path.join(__dirname, `${saveAs}.json`),
      `${JSON.stringify(result, null, 2)}\n`,
    );
    fs.writeFileSync(
      path.join(__dirname, `${saveAs}.txt`),
      `${lines.join('\n')}\n${JSON.stringify(summary)}\n`,
    );
  }
  if (args.includes('--json')) console.log(JSON.stringify(summary));
}

function round(value: number) {
  return Math.round(value * 100) / 100;
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
