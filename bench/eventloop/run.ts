/*
 * Event-loop benchmark: how long the backend's event loop stalls while concurrent policy
 * previews (grants) and analyses of worst-case policies run through the backend's path,
 * with the policy work inline (on the event loop) and on the worker pool.
 *
 * Usage: npm run bench:eventloop -- [policies=12] [sizes=8192,20000] [concurrency=1,4]
 *        [lane=only|skip] (the users' lane figure alone, or without it)
 */
import http from 'node:http';
import os from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import pLimit from 'p-limit';
import type { AccessRequest } from '@private-api-catalog/plugin-private-api-common';
import { changeFor } from '../../plugins/private-api-backend/src/access/DirectApplier';
import {
  createPolicyWork,
  DEFAULT_POLICY_THREADS,
  PolicyWork,
} from '../../plugins/private-api-backend/src/policyWork/PolicyWork';
import { privateRestApi } from '../../plugins/private-api-backend/src/__testUtils__/records';
import {
  endpointsHash,
  indexInputsHash,
} from '../../plugins/private-api-backend/src/inventory/reverseIndex';
import {
  BENCH_API_ARN,
  generateEndpoints,
  generatePolicy,
} from '../policy/generate';
import { namedArgs, numberList, percentile } from '../args';

const count = Number(namedArgs.policies ?? 12);
const sizes = numberList(namedArgs.sizes, '8192,20000');
const concurrencies = numberList(namedArgs.concurrency, '1,4');
const lane = namedArgs.lane;
const STAGES = ['prod', 'beta', 'dev', 'test'];

const round = (ms: number) => Math.round(ms * 10) / 10;
const stats = (values: number[]) => ({
  p50: round(percentile(values, 0.5)),
  p95: round(percentile(values, 0.95)),
  max: round(Math.max(...values)),
});

const silent = {
  info: () => {},
  warn: (m: string) => console.error(m),
  error: (m: string) => console.error(m),
  debug: () => {},
  child: () => silent,
} as any;

/** A route that reads nothing, on this process's event loop: what other users wait for. */
function startHealthServer(): Promise<{ port: number; close: () => void }> {
  const server = http.createServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end('{"status":"ok"}');
  });
  return new Promise(resolve =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        port: (server.address() as any).port,
        close: () => server.close(),
      }),
    ),
  );
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
function getHealth(port: number): Promise<number> {
  const start = performance.now();
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: '/health', agent }, res => {
        res.resume();
        res.on('end', () => resolve(performance.now() - start));
      })
      .on('error', reject);
  });
}

/** GET /health one after the other until stopped: their latencies. */
function probeHealth(port: number) {
  const latencies: number[] = [];
  let running = true;
  const done = (async () => {
    while (running) {
      latencies.push(await getHealth(port));
      await new Promise(r => setTimeout(r, 5));
    }
  })();
  return async () => {
    running = false;
    await done;
    return latencies;
  };
}

interface Job {
  kind: 'grant' | 'analysis';
  run: () => Promise<unknown>;
}

function jobsFor(policyWork: PolicyWork, size: number): Job[] {
  const jobs: Job[] = [];
  for (let seed = 1; seed <= count; seed++) {
    const policy = JSON.stringify(generatePolicy(seed * 7919 + size, size));
    const vpcEndpointId = `vpce-${(seed * 2654435761)
      .toString(16)
      .padStart(17, '0')
      .slice(-17)}`;
    const request = {
      kind: 'grant',
      vpcEndpointId,
      stages: ['prod'],
    } as Partial<AccessRequest> as AccessRequest;
    // What GET /access-requests/:id/preview and an apply compute.
    jobs.push({
      kind: 'grant',
      run: () => changeFor(policyWork, request, policy, BENCH_API_ARN),
    });
    // What discovery stores for the Allowed callers card.
    jobs.push({
      kind: 'analysis',
      run: () =>
        policyWork.run('analyzeResourcePolicy', policy, {
          apiArn: BENCH_API_ARN,
          stages: STAGES,
        }),
    });
  }
  return jobs;
}

async function measure(
  policyWork: PolicyWork,
  size: number,
  concurrency: number,
  port: number,
) {
  const jobs = jobsFor(policyWork, size);
  const latency = { grant: [] as number[], analysis: [] as number[] };
  const limit = pLimit(concurrency);
  // Each measurement starts on a clean heap: the garbage of the one before (the inline runs
  // make plenty) is not collected on this one's clock.
  (globalThis as { gc?: () => void }).gc?.();
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  const stopProbe = probeHealth(port);
  histogram.enable();
  await Promise.all(
    jobs.map(job =>
      limit(async () => {
        // Each job starts from its own turn of the loop, as a request's work does; else the
        // inline jobs would run back to back as one long stall.
        await new Promise(r => setImmediate(r));
        const start = performance.now();
        await job.run();
        latency[job.kind].push(performance.now() - start);
      }),
    ),
  );
  // The delay of a stall is recorded when the monitor's timer fires after it.
  await new Promise(r => setTimeout(r, 20));
  histogram.disable();
  const health = await stopProbe();
  return {
    eventLoopMs: {
      max: round(histogram.max / 1e6),
      p99: round(histogram.percentile(99) / 1e6),
    },
    healthMs: stats(health),
    grantMs: stats(latency.grant),
    analysisMs: stats(latency.analysis),
  };
}

/**
 * Users' grants while discovery keeps the pool busy with estate-index entries (200
 * endpoints) and analyses of 20,000-character policies: the latency of a preview that
 * arrives during a crawl. One pool per setting, in one run: one thread (discovery and users
 * share it), two threads that discovery may all take (`discoveryThreads: 2`, the behaviour
 * before the users' lane), two threads with one kept for users (the default).
 */
async function measureUserLane() {
  const size = 20_000;
  const grants = Math.max(count, 40);
  const documents = Array.from({ length: grants }, (_, i) =>
    generatePolicy((i + 1) * 7919 + size, size),
  );
  const endpoints = generateEndpoints(documents[0], 200, 1);
  const endpointsJson = JSON.stringify(endpoints);
  const regionHash = endpointsHash(endpoints as any);
  const discoveryJob = (work: PolicyWork, i: number) => {
    const document = documents[i % documents.length];
    const policy = JSON.stringify(document);
    if (i % 2) {
      return work.run('analyzeResourcePolicy', policy, {
        apiArn: BENCH_API_ARN,
        stages: STAGES,
      });
    }
    const api = privateRestApi({
      accountId: '111122223333',
      region: 'eu-west-1',
      executeApiArn: BENCH_API_ARN,
      policy,
    });
    return work.run(
      'indexApiEntry',
      api,
      endpointsJson,
      regionHash,
      1,
      indexInputsHash(api, regionHash, 1),
    );
  };
  const grantOnce = (work: PolicyWork, i: number) => {
    const request = {
      kind: 'grant',
      vpcEndpointId: `vpce-${(i * 2654435761)
        .toString(16)
        .padStart(17, '0')
        .slice(-17)}`,
      stages: ['prod'],
    } as Partial<AccessRequest> as AccessRequest;
    return changeFor(
      work,
      request,
      JSON.stringify(documents[i % documents.length]),
      BENCH_API_ARN,
    );
  };
  const grantLatencies = async (work: PolicyWork) => {
    const latencies: number[] = [];
    for (let i = 0; i < grants; i++) {
      // A user's request arrives while discovery is busy, not right after the last one.
      await new Promise(r => setTimeout(r, 20));
      const start = performance.now();
      await grantOnce(work, i);
      latencies.push(performance.now() - start);
    }
    return latencies;
  };
  const settings: Array<
    [string, { threads: number; discoveryThreads: number }]
  > = [
    ['1 thread', { threads: 1, discoveryThreads: 1 }],
    ['2 threads, discovery may take both', { threads: 2, discoveryThreads: 2 }],
    ['2 threads, one kept for users', { threads: 2, discoveryThreads: 1 }],
  ];
  const out: Record<string, unknown> = {};
  for (const [name, setting] of settings) {
    const work = createPolicyWork({ ...setting, maxQueue: 1000 }, silent);
    if ((await work.mode()) !== 'threads')
      throw new Error('The policy pool did not start');
    // Warm-up: every thread loads the policy code and sees each kind of job once.
    await Promise.all(
      Array.from({ length: 2 * setting.threads }, (_, i) =>
        i % 2 ? grantOnce(work, i) : discoveryJob(work, i),
      ),
    );
    (globalThis as { gc?: () => void }).gc?.();
    const rssMiB = Math.round(process.memoryUsage().rss / 2 ** 20);
    const alone = await grantLatencies(work);
    // Discovery: four scopes at once, each submitting its next job when one ends.
    let stop = false;
    let discoveryJobs = 0;
    const discovery = work.background();
    const crawls = Array.from({ length: 4 }, async (_, k) => {
      for (let i = k; !stop; i += 4) {
        await discoveryJob(discovery, i);
        discoveryJobs++;
      }
    });
    const during = await grantLatencies(work);
    stop = true;
    await Promise.all(crawls);
    await work.close();
    const r = {
      ...setting,
      rssMiB,
      grantAloneMs: stats(alone),
      grantDuringDiscoveryMs: stats(during),
      p50Ratio: round(percentile(during, 0.5) / percentile(alone, 0.5)),
      p95Ratio: round(percentile(during, 0.95) / percentile(alone, 0.95)),
      discoveryJobs,
    };
    out[`${setting.threads}x${setting.discoveryThreads}`] = r;
    console.log(
      `users' lane, ${name} (RSS ${rssMiB} MiB) | grant alone p50 ${r.grantAloneMs.p50} ms, p95 ${r.grantAloneMs.p95} ms | during discovery (${discoveryJobs} index entries and analyses of ${size}-char policies, 4 at once) p50 ${r.grantDuringDiscoveryMs.p50} ms, p95 ${r.grantDuringDiscoveryMs.p95} ms, max ${r.grantDuringDiscoveryMs.max} ms | during / alone: p50 ${r.p50Ratio}, p95 ${r.p95Ratio}`,
    );
  }
  return out;
}

async function main() {
  console.log(
    `machine: ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, ${Math.round(
      os.totalmem() / 2 ** 30,
    )} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`,
  );
  console.log(`load average at start: ${os.loadavg().map(round).join(', ')}`);
  const health = await startHealthServer();
  const idle = probeHealth(health.port);
  const idleLoop = monitorEventLoopDelay({ resolution: 1 });
  idleLoop.enable();
  await new Promise(r => setTimeout(r, 3000));
  idleLoop.disable();
  const baseline = {
    healthMs: stats(await idle()),
    eventLoopMs: {
      max: round(idleLoop.max / 1e6),
      p99: round(idleLoop.percentile(99) / 1e6),
    },
  };
  console.log(
    `baseline (no policy work, 3 s): event loop max ${baseline.eventLoopMs.max} ms, p99 ${baseline.eventLoopMs.p99} ms | GET /health p50 ${baseline.healthMs.p50} ms, p95 ${baseline.healthMs.p95} ms, max ${baseline.healthMs.max} ms`,
  );

  const modes: Array<[string, () => PolicyWork]> = [
    ['inline', () => createPolicyWork({ threads: 0, maxQueue: 1000 }, silent)],
    [
      'pool',
      () =>
        createPolicyWork(
          { threads: DEFAULT_POLICY_THREADS, maxQueue: 1000 },
          silent,
        ),
    ],
  ];
  const results: Record<string, Record<string, unknown>> = {};
  for (const [name, create] of lane === 'only' ? [] : modes) {
    const policyWork = create();
    if ((await policyWork.mode()) !== (name === 'pool' ? 'threads' : 'inline'))
      throw new Error(`The ${name} policy work did not start as ${name}`);
    // Warm-up, not measured: the first jobs compile the policy code (in the thread, for the
    // pool), and large policies take other paths than small ones.
    for (const size of sizes) {
      for (const job of jobsFor(policyWork, size)) await job.run();
    }
    results[name] = {};
    for (const size of sizes) {
      for (const concurrency of concurrencies) {
        const r = await measure(policyWork, size, concurrency, health.port);
        results[name][`${size}x${concurrency}`] = {
          maxChars: size,
          concurrency,
          ...r,
        };
        console.log(
          `${name}${
            name === 'pool' ? ` (${DEFAULT_POLICY_THREADS} thread(s))` : ''
          }, ${size} chars, ${concurrency} at once, ${count} grants + ${count} analyses | event loop max ${
            r.eventLoopMs.max
          } ms, p99 ${r.eventLoopMs.p99} ms | GET /health meanwhile p95 ${
            r.healthMs.p95
          } ms, max ${r.healthMs.max} ms | grant p50 ${r.grantMs.p50} ms, p95 ${
            r.grantMs.p95
          } ms, max ${r.grantMs.max} ms | analysis p95 ${
            r.analysisMs.p95
          } ms, max ${r.analysisMs.max} ms`,
        );
      }
    }
    await policyWork.close();
  }
  health.close();
  agent.destroy();
  const userLane = lane === 'skip' ? undefined : await measureUserLane();
  console.log(`load average at end: ${os.loadavg().map(round).join(', ')}`);
  const pool = Object.values(results.pool ?? {}) as any[];
  const eventLoopOk = pool.every(r => r.eventLoopMs.max <= 50);
  const oneAtATime = pool.filter(r => r.concurrency === 1);
  const grantOk =
    oneAtATime.length > 0 && oneAtATime.every(r => r.grantMs.p95 <= 100);
  console.log(
    `targets: pool event-loop max <= 50 ms at every size and concurrency: ${eventLoopOk}; pool grant p95 <= 100 ms one at a time: ${grantOk}`,
  );
  console.log(
    JSON.stringify({
      eventLoop: {
        threads: DEFAULT_POLICY_THREADS,
        policies: count,
        baseline,
        ...results,
        userLane,
      },
    }),
  );
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
