/*
 * Where the time of one request of the serving benchmark goes: on a database the benchmark
 * loaded (its reuse=FILE or reuse=DATABASE), sends one request at a time and prints the median
 * wall time and CPU time of the process per request (server and client: what the
 * benchmark's concurrent clients share), then the median time of each of its queries, in the
 * order the request runs them.
 *
 * Usage (from the repository root):
 *   node --require @backstage/cli-node/config/nodeTransform.cjs bench/serving/profile.ts \
 *     FILE|--db postgres DATABASE [reach|search|PATH] [requests=100] [clients=C]
 * `reach` asks `/apis?reachableFrom=` a different known endpoint per request, `search`
 * `/apis?limit=50&q=orders-{n}`; anything else is a path to ask as it is. PostgreSQL: run it
 * under scripts/with-postgres.sh while that server holds the benchmark's database.
 * DUMP=FILE writes every query with its bindings, to replay them alone. With clients=C, it
 * then sends the same requests again, C at a time from the benchmark's client thread, and
 * prints their p50 and p95: one figure of the benchmark, to compare two changes quickly.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import Knex, { Knex as KnexType } from 'knex';
import type {
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InventoryStore } from '../../plugins/private-api-backend/src/inventory/InventoryStore';
import { createRouter } from '../../plugins/private-api-backend/src/service/router';
import { ClientThread } from './clients';

const args = process.argv.slice(2);
const postgres = args[0] === '--db';
const [target, route = 'reach', count = '100', concurrency] = postgres
  ? args.slice(2)
  : args;
const requests = Number(count);
const clients = Number(concurrency?.replace(/^clients=/, '') ?? 0);
const WARM_UP = 3;

function open(): KnexType {
  if (!postgres) {
    return Knex({
      client: 'better-sqlite3',
      connection: { filename: target },
      useNullAsDefault: true,
    });
  }
  const key = Object.keys(process.env).find(k =>
    /^BACKSTAGE_TEST_DATABASE_POSTGRES\d+_CONNECTION_STRING$/.test(k),
  );
  if (!key)
    throw new Error('--db postgres: run under scripts/with-postgres.sh');
  const url = new URL(process.env[key]!);
  url.pathname = `/${target}`;
  return Knex({ client: 'pg', connection: url.toString(), pool: { max: 10 } });
}

/** CPU time all processors spent busy since boot (Linux), to charge the database's share too. */
function machineCpuMs(): number {
  const [, ...fields] = fs
    .readFileSync('/proc/stat', 'utf8')
    .split('\n')[0]
    .trim()
    .split(/\s+/)
    .map(Number);
  // user nice system idle iowait irq softirq steal: all but idle and iowait.
  const busy = fields
    .slice(0, 8)
    .reduce((sum, v, i) => (i === 3 || i === 4 ? sum : sum + v), 0);
  return (busy * 1000) / 100; // USER_HZ is 100 on Linux
}

const median = (xs: number[]) =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

async function main() {
  const knex = open();
  const store = await InventoryStore.create({
    database: { getClient: async () => knex } as any,
  });
  // Each query's time, from the moment knex sends it to its answer.
  const sent = new Map<string, { at: number; sql: string }>();
  let queries: Array<{ ms: number; sql: string }> = [];
  const dump: Array<{ sql: string; bindings: unknown[] }> = [];
  knex.on('query', (q: any) => {
    sent.set(q.__knexQueryUid, { at: performance.now(), sql: q.sql });
    if (process.env.DUMP) dump.push({ sql: q.sql, bindings: q.bindings });
  });
  knex.on('query-response', (_r: unknown, q: any) => {
    const s = sent.get(q.__knexQueryUid);
    if (s) queries.push({ ms: performance.now() - s.at, sql: s.sql });
  });

  const silent = { info() {}, warn() {}, error() {}, debug() {} } as any;
  silent.child = () => silent;
  const app = express();
  app.use(
    await createRouter({
      logger: silent as LoggerService,
      httpAuth: {} as HttpAuthService,
      permissions: {} as PermissionsService,
      store,
    }),
  );
  const server = app.listen(0, '127.0.0.1');
  await new Promise(resolve => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  const agent = new http.Agent({ keepAlive: true });
  const get = (path: string) =>
    new Promise<string>((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port, path, agent }, res => {
          let body = '';
          res.on('data', chunk => (body += chunk));
          res.on('end', () =>
            res.statusCode === 200
              ? resolve(body)
              : reject(new Error(`${path}: HTTP ${res.statusCode} ${body}`)),
          );
        })
        .on('error', reject);
    });

  const endpoints: string[] = (
    await knex('private_api_vpc_endpoints')
      .select('vpc_endpoint_id')
      .orderBy('vpc_endpoint_id')
  ).map(r => r.vpc_endpoint_id);
  const pathOf = (i: number) => {
    if (route === 'reach') {
      const endpoint = endpoints[(i * 7919) % endpoints.length];
      return `/apis?reachableFrom=${endpoint}&limit=${
        process.env.LIMIT ?? 100
      }${process.env.EXTRA ?? ''}`;
    }
    if (route === 'search') return `/apis?limit=50&q=orders-${i % 1000}`;
    return route;
  };

  const wall: number[] = [];
  const cpu: number[] = [];
  const byQuery = new Map<string, number[]>();
  for (let i = 0; i < requests + WARM_UP; i++) {
    queries = [];
    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    const body = await get(pathOf(i));
    const used = process.cpuUsage(cpuStarted);
    if (i === 0)
      console.log(
        `${pathOf(0)} (${body.length} bytes): ${body.slice(0, 300)}…`,
      );
    if (i < WARM_UP) continue;
    wall.push(performance.now() - started);
    cpu.push((used.user + used.system) / 1000);
    queries.forEach(({ ms, sql }, k) => {
      const key = `${k}: ${sql.slice(0, 120)}`;
      byQuery.set(key, [...(byQuery.get(key) ?? []), ms]);
    });
  }
  console.log(
    `${requests} requests, one at a time: median ${median(wall).toFixed(
      2,
    )} ms, CPU of the process per request: median ${median(cpu).toFixed(2)} ms`,
  );
  for (const [sql, times] of byQuery) {
    console.log(`  ${median(times).toFixed(2)} ms  ${sql}`);
  }
  if (process.env.DUMP)
    fs.writeFileSync(process.env.DUMP, JSON.stringify(dump));
  if (clients > 0) {
    const thread = new ClientThread();
    const machineStarted = machineCpuMs();
    const processStarted = process.cpuUsage();
    const times = await thread.send({
      port,
      clients,
      requests: Array.from({ length: requests }, (_, i) => pathOf(i)),
      userHeader: 'x-unused',
    });
    const used = process.cpuUsage(processStarted);
    const machine = machineCpuMs() - machineStarted;
    await thread.close();
    const sorted = [...times].sort((a, b) => a - b);
    const at = (q: number) =>
      sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
    console.log(
      `${requests} requests, ${clients} at a time: p50 ${at(0.5).toFixed(
        1,
      )} ms, p95 ${at(0.95).toFixed(1)} ms; CPU per request: ${(
        (used.user + used.system) /
        1000 /
        requests
      ).toFixed(2)} ms of this process (server and clients), ${(
        machine / requests
      ).toFixed(2)} ms of the machine (with the database server)`,
    );
  }
  server.close();
  agent.destroy();
  await knex.destroy();
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
