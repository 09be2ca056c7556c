/*
 * Serving benchmark: loads a generated estate of N APIs into the inventory (SQLite or
 * PostgreSQL) through the store's own write path, runs the crawl's derived-answers step per
 * account and Region, then serves the plugin's router on loopback and measures, with
 * concurrent clients, the p95 of the page views of a large estate.
 *
 * Usage: npm run bench:serving -- apis=N [--db sqlite|postgres] [clients=8] [requests=200]
 * PostgreSQL: run it under scripts/with-postgres.sh (it reads the connection string that
 * script exports).
 *
 * The last line of output is one JSON object:
 * {"apis":N,"db":"sqlite","p95Ms":{"apiDetail":…,"cost":…,"explorerPage":…,"explorerLastPage":…,"search":…,"reachableFrom":…,"accessRequests":…}}
 */
import os from 'node:os';
import fs from 'node:fs';
import path from 'node:path';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import Knex, { Knex as KnexType } from 'knex';
import type {
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import type {
  ApiRecord,
  VpcEndpointRecord,
  VpcRecord,
} from '@private-api-catalog/plugin-private-api-common';
import { createConditionTransformer } from '@backstage/plugin-permission-node';
import { InventoryStore } from '../../plugins/private-api-backend/src/inventory/InventoryStore';
import { createRouter } from '../../plugins/private-api-backend/src/service/router';
import { refreshDerivedFigures } from '../../plugins/private-api-backend/src/discovery/derived';
import { refreshEstateIndex } from '../../plugins/private-api-backend/src/inventory/reverseIndex';
import type { ScopeResources } from '../../plugins/private-api-backend/src/inventory/types';
import { AccessRequestStore } from '../../plugins/private-api-backend/src/access/AccessRequestStore';
import { addAccessRequestRoutes } from '../../plugins/private-api-backend/src/service/accessRouter';
import { accessRequestPermissionRules } from '../../plugins/private-api-backend/src/access/permissions';
import { privateApiAccessRequestDecision } from '../../plugins/private-api-backend/src/access/policy';
import { REQUESTERS, seed, userInfo, userRef } from '../access/fixture';
import { ClientThread, Request } from './clients';

const args = process.argv.slice(2);
const named = Object.fromEntries(
  args.filter(a => a.includes('=')).map(a => a.split('=')),
);
const apis = Number(named.apis ?? 10_000);
const db = (
  args.includes('--db') ? args[args.indexOf('--db') + 1] : 'sqlite'
) as 'sqlite' | 'postgres';
const clients = Number(named.clients ?? 8);
const requests = Number(named.requests ?? 200);
const API_PER_SCOPE = 5_000;
const PAGE = 50;
/** The explorer's order when a user sorts by cost, most expensive first. */
const BY_COST = 'sort=monthlyCost&order=desc';
/**
 * The execute-api VPC endpoints of each account and Region, which the policies name. The
 * reverse index evaluates every policy of a Region against every endpoint there, so the
 * figure is a realistic pool, not one endpoint per API.
 */
const ENDPOINTS_PER_SCOPE = 40;
const REGION = 'eu-west-1';
/**
 * A shared-services VPC's endpoint, in the first account, that one API in SHARED_EVERY lets in
 * beside its own endpoints: "Callable from" there lists a fifth of the private APIs, the case
 * where a page must not cost what the whole answer does.
 */
const SHARED_VPCE = `vpce-${'5'.repeat(17)}`;
const SHARED_VPC = `vpc-${'5'.repeat(17)}`;
const SHARED_EVERY = 5;
const accountOf = (scope: number) => String(100000000000 + scope);
const vpceId = (scope: number, k: number) =>
  `vpce-${(scope * 1000 + k).toString(16).padStart(17, '0')}`;
const vpcIdOf = (scope: number, k: number) =>
  `vpc-${(scope * 1000 + (k % 8)).toString(16).padStart(17, '0')}`;
/** APIs written per transaction while loading (one commit per API would dominate the load). */
const WRITE_BATCH = 500;
/** Stored access requests behind the access-request list, as bench/access stores them. */
const ACCESS_REQUESTS = 10_000;

function postgresConnection(): string {
  const key = Object.keys(process.env).find(k =>
    /^BACKSTAGE_TEST_DATABASE_POSTGRES\d+_CONNECTION_STRING$/.test(k),
  );
  if (!key) {
    throw new Error(
      '--db postgres needs a PostgreSQL server: run it as bash scripts/with-postgres.sh npm run bench:serving -- ...',
    );
  }
  return process.env[key]!;
}

async function openDatabase(): Promise<{
  knex: KnexType;
  close: () => Promise<void>;
  /** SQLite: the database file. */
  file?: string;
}> {
  if (db === 'postgres') {
    const knex = Knex({
      client: 'pg',
      connection: postgresConnection(),
      pool: { min: 0, max: 10 },
    });
    // reuse=DATABASE measures a database a previous run loaded on the same server (and
    // creates and loads it when there is none yet, as reuse=FILE does on SQLite).
    const name = named.reuse ?? `bench_serving_${Date.now()}`;
    const { rowCount } = await knex.raw(
      'SELECT 1 FROM pg_database WHERE datname = ?',
      [name],
    );
    if (!rowCount) await knex.raw(`CREATE DATABASE ${name}`);
    await knex.destroy();
    console.log(`database: ${name}`);
    const url = new URL(postgresConnection());
    url.pathname = `/${name}`;
    const bench = Knex({
      client: 'pg',
      connection: url.toString(),
      pool: { min: 0, max: 10 },
    });
    return { knex: bench, close: () => bench.destroy() };
  }
  // reuse=FILE keeps the loaded SQLite file for the next run (which then skips loading).
  const dir = named.reuse
    ? path.dirname(path.resolve(named.reuse))
    : fs.mkdtempSync(path.join(os.tmpdir(), 'bench-serving-'));
  const file = named.reuse
    ? path.resolve(named.reuse)
    : path.join(dir, 'inventory.sqlite');
  const knex = Knex({
    client: 'better-sqlite3',
    connection: { filename: file },
    useNullAsDefault: true,
    // As a production SQLite would run: write-ahead log, no sync per transaction.
    pool: {
      afterCreate: (
        conn: any,
        done: (error: Error | null, conn: any) => void,
      ) => {
        conn.pragma('journal_mode = WAL');
        conn.pragma('synchronous = NORMAL');
        done(null, conn);
      },
    },
  });
  return {
    knex,
    file,
    close: async () => {
      await knex.destroy();
      if (!named.reuse) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Reads a file from start to end (into the operating system's cache); returns its size. */
function readThrough(file: string): number {
  const chunk = Buffer.alloc(8 * 2 ** 20);
  const fd = fs.openSync(file, 'r');
  try {
    let total = 0;
    for (;;) {
      const read = fs.readSync(fd, chunk, 0, chunk.length, null);
      if (read === 0) return total;
      total += read;
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** mulberry32, so that every run generates the same estate. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = [
  'orders',
  'billing',
  'catalog',
  'payments',
  'users',
  'search',
  'shipping',
  'ledger',
  'inventory',
  'pricing',
  'identity',
  'reports',
];

/** One API of the estate: a private REST API with stages, routes, a VPC link and a policy. */
function generateApi(i: number, random: () => number): ApiRecord {
  const scope = Math.floor(i / API_PER_SCOPE);
  const accountId = accountOf(scope);
  const region = REGION;
  const apiId = `a${i.toString(36).padStart(9, '0')}`;
  const word = WORDS[Math.floor(random() * WORDS.length)];
  const first = Math.floor(random() * ENDPOINTS_PER_SCOPE);
  const own = Array.from({ length: 1 + Math.floor(random() * 4) }, (_, k) =>
    vpceId(scope, (first + k) % ENDPOINTS_PER_SCOPE),
  );
  const vpces = i % SHARED_EVERY === 0 ? [...own, SHARED_VPCE] : own;
  const policy = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: '*',
        Action: 'execute-api:Invoke',
        Resource: 'execute-api:/*',
      },
      {
        Effect: 'Deny',
        Principal: '*',
        Action: 'execute-api:Invoke',
        Resource: 'execute-api:/*',
        Condition: { StringNotEquals: { 'aws:SourceVpce': vpces } },
      },
    ],
  });
  return {
    apiId,
    name: `${word}-${i}`,
    description: `The ${word} service of team ${i % 97}`,
    apiType: 'REST',
    endpointType: random() < 0.8 ? 'PRIVATE' : 'REGIONAL',
    accountId,
    region,
    partition: 'aws',
    arn: `arn:aws:apigateway:${region}::/restapis/${apiId}`,
    executeApiArn: `arn:aws:execute-api:${region}:${accountId}:${apiId}`,
    apiEndpoint: `https://${apiId}.execute-api.${region}.amazonaws.com`,
    disableExecuteApiEndpoint: false,
    vpcEndpointIds: vpces.slice(0, 1),
    policy,
    tags: { owner: `team-${i % 97}`, system: word },
    stages: ['prod', 'test'].map(stageName => ({
      stageName,
      deploymentId: `d${i}`,
      cacheClusterEnabled: stageName === 'prod' && random() < 0.1,
      ...(stageName === 'prod' && random() < 0.1
        ? { cacheClusterSize: '0.5' }
        : {}),
    })),
    routes: ['GET', 'POST'].map(method => ({
      id: `r${i}/${method}`,
      method,
      path: `/${word}`,
      routeKey: `${method} /${word}`,
      authorizationType: 'AWS_IAM',
      apiKeyRequired: false,
      integrationId: `r${i}/${method}`,
    })),
    integrations: ['GET', 'POST'].map(method => ({
      id: `r${i}/${method}`,
      type: 'HTTP_PROXY',
      connectionType: 'INTERNET',
      uri: `https://${word}.internal.example.com/${word}`,
      target: {
        kind: 'http',
        url: `https://${word}.internal.example.com/${word}`,
      },
    })),
    authorizers: [],
    vpcLinks: [],
    domains: [],
  };
}

const silentLogger: LoggerService = {
  info: () => {},
  warn: () => {},
  error: () => {},
  debug: () => {},
  child: () => silentLogger,
};
/** The measured routes read the inventory only: no credentials or permission checks. */
const unused = new Proxy(
  {},
  {
    get: () => () => {
      throw new Error('not used by the measured routes');
    },
  },
);

async function load(store: InventoryStore) {
  const scopes = Math.ceil(apis / API_PER_SCOPE);
  // PostgreSQL takes several scopes at once, as several accounts' crawls would write.
  const parallel = db === 'postgres' ? 4 : 1;
  let nextScope = 0;
  let loaded = 0;
  /** Time spent storing the APIs and their traffic, and on the derived figures (all scopes). */
  let writeMs = 0;
  let derivedMs = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (nextScope < scopes) await loadScope(store, nextScope++);
    }),
  );
  async function loadScope(store: InventoryStore, scope: number) {
    // One generator per scope: the same estate whichever order the scopes load in.
    const random = prng(scope + 1);
    const accountId = accountOf(scope);
    const region = REGION;
    const runId = `bench-${scope}`;
    await store.startScope({ accountId, region, startedAt: new Date() });
    const traffic = new Map<
      string,
      {
        periodDays: number;
        total: number;
        daily: Array<{ date: string; count: number }>;
      }
    >();
    const last = Math.min(apis, (scope + 1) * API_PER_SCOPE);
    const writeStarted = Date.now();
    let batch: ApiRecord[] = [];
    const flush = async () => {
      await store.writeApis(
        runId,
        batch.map(record => ({
          record,
          details: 'replace' as const,
          fingerprint: `d-${record.apiId}`,
        })),
        'owner',
      );
      batch = [];
    };
    for (let i = scope * API_PER_SCOPE; i < last; i++) {
      const record = generateApi(i, random);
      batch.push(record);
      if (batch.length === WRITE_BATCH) await flush();
      const daily = Array.from({ length: 30 }, (_, d) => ({
        date: new Date(Date.UTC(2026, 9, 1 + d)).toISOString().slice(0, 10),
        count: Math.floor(random() * 100_000),
      }));
      traffic.set(record.apiId, {
        periodDays: 30,
        total: daily.reduce((a, b) => a + b.count, 0),
        daily,
      });
    }
    await flush();
    await store.writeTraffic(accountId, region, traffic as any);
    await store.replaceScopeResources(accountId, region, scopeResources(scope));
    writeMs += Date.now() - writeStarted;
    const derivedStarted = Date.now();
    await refreshDerivedFigures(store, accountId, region);
    derivedMs += Date.now() - derivedStarted;
    await store.completeScope(accountId, region, runId, {
      full: true,
      durationMs: 1,
      calls: 0,
      throttled: 0,
      finishedAt: new Date(),
    });
    loaded += last - scope * API_PER_SCOPE;
    process.stdout.write(`loaded ${loaded} of ${apis} APIs\n`);
  }
  console.log(
    `writes: ${(writeMs / 1000).toFixed(1)} s, derived figures: ${(
      derivedMs / 1000
    ).toFixed(1)} s (summed over scopes${
      parallel > 1 ? `, ${parallel} at a time` : ''
    })`,
  );
  // The crawl's estate-index step, once every scope's endpoints are stored (the first call
  // sees the Region's endpoints change and indexes every account of it).
  const indexStarted = Date.now();
  for (let scope = 0; scope < scopes; scope++) {
    await refreshEstateIndex(store, {
      accountId: accountOf(scope),
      region: REGION,
    });
  }
  console.log(
    `estate index: ${((Date.now() - indexStarted) / 1000).toFixed(1)} s`,
  );
}

/** The execute-api VPC endpoints (and their VPCs) of one account and Region. */
function scopeResources(scope: number): ScopeResources {
  const accountId = accountOf(scope);
  const vpcEndpoints: VpcEndpointRecord[] = Array.from(
    { length: ENDPOINTS_PER_SCOPE },
    (_, k) => ({
      vpcEndpointId: vpceId(scope, k),
      vpcId: vpcIdOf(scope, k),
      ownerAccountId: accountId,
      region: REGION,
      state: 'available',
      privateDnsEnabled: true,
      serviceName: `com.amazonaws.${REGION}.execute-api`,
      dnsNames: [
        `${vpceId(scope, k)}-bench.execute-api.${REGION}.vpce.amazonaws.com`,
      ],
      subnetIds: [],
      securityGroupIds: [],
      tags: {},
    }),
  );
  const vpcs: VpcRecord[] = Array.from({ length: 8 }, (_, k) => ({
    vpcId: vpcIdOf(scope, k),
    accountId,
    region: REGION,
    cidrBlocks: [`10.${k}.0.0/16`],
  }));
  if (scope === 0) {
    vpcEndpoints.push({
      ...vpcEndpoints[0],
      vpcEndpointId: SHARED_VPCE,
      vpcId: SHARED_VPC,
      dnsNames: [
        `${SHARED_VPCE}-bench.execute-api.${REGION}.vpce.amazonaws.com`,
      ],
    });
    vpcs.push({ ...vpcs[0], vpcId: SHARED_VPC, cidrBlocks: ['10.100.0.0/16'] });
  }
  return { vpcLinks: [], domains: [], vpcEndpoints, vpcs };
}

/** One request from the main thread, to set up (not measured). */
function send(port: number, request: Request): Promise<{ body: string }> {
  const { path: url, user } =
    typeof request === 'string' ? { path: request, user: undefined } : request;
  return new Promise((resolve, reject) => {
    http
      .get(
        {
          host: '127.0.0.1',
          port,
          path: url,
          agent: keepAlive,
          headers: user === undefined ? {} : { [USER_HEADER]: String(user) },
        },
        res => {
          const chunks: Buffer[] = [];
          res.on('data', chunk => chunks.push(chunk));
          res.on('end', () => {
            const body = Buffer.concat(chunks).toString();
            if (res.statusCode !== 200)
              reject(new Error(`${url}: HTTP ${res.statusCode} ${body}`));
            else resolve({ body });
          });
        },
      )
      .on('error', reject);
  });
}
const clientThread = new ClientThread();
const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 64 });

function p95(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.ceil(0.95 * sorted.length) - 1] * 10) / 10;
}

/** The p95 of `requests` requests sent by the client thread, `clients` at a time. */
async function measure(
  port: number,
  urlOf: (n: number) => Request,
): Promise<number> {
  return p95(
    await clientThread.send({
      port,
      clients,
      requests: Array.from({ length: requests }, (_, n) => urlOf(n)),
      userHeader: USER_HEADER,
    }),
  );
}

/** The user an access-route request is sent as (the benchmark's stand-in for a sign-in). */
const USER_HEADER = 'x-bench-user';
const userOf = (req: { headers: Record<string, unknown> }) =>
  Number(req.headers[USER_HEADER] ?? 0);

/**
 * The access-request routes as the plugin serves them: the recommended policy's conditional
 * decision for the requesting user, turned into a query by the rules' transformer. Only
 * sign-in is stood in for (the user comes from a header).
 */
function accessRoutes(router: express.Router, requests: AccessRequestStore) {
  const httpAuth = {
    credentials: async (req: any) => ({
      $$type: '@backstage/BackstageCredentials',
      principal: { type: 'user', userEntityRef: userRef(userOf(req)) },
    }),
  } as unknown as HttpAuthService;
  const permissions = {
    authorizeConditional: async (
      queries: Array<{ permission: any }>,
      { credentials }: { credentials: any },
    ) => {
      const user = Number(
        /user-(\d+)$/.exec(credentials.principal.userEntityRef)![1],
      );
      return queries.map(
        query => privateApiAccessRequestDecision(query as any, userInfo(user))!,
      );
    },
  } as unknown as PermissionsService;
  addAccessRequestRoutes(router, {
    httpAuth,
    permissions,
    requests,
    service: unused as any,
    toFilter: createConditionTransformer(
      Object.values(accessRequestPermissionRules),
    ),
  });
}

/** Walks the explorer's list by its cursors, as a user paging to the end would. */
async function explorerCursors(
  port: number,
  pageSize: number,
  /** The sort, as the explorer asks for it (`sort=…&order=…`); none: by name. */
  sort = '',
): Promise<{ cursors: string[]; bytes: number }> {
  const cursors: string[] = [];
  let bytes = 0;
  let after: string | undefined;
  for (;;) {
    const { body } = await send(
      port,
      `/apis?limit=${pageSize}${sort ? `&${sort}` : ''}${
        after ? `&after=${encodeURIComponent(after)}` : ''
      }`,
    );
    bytes += Buffer.byteLength(body);
    const page = JSON.parse(body) as { items: unknown[]; nextCursor?: string };
    if (!page.nextCursor || page.items.length < pageSize)
      return { cursors, bytes };
    after = page.nextCursor;
    cursors.push(after);
  }
}

async function main() {
  console.log(
    `machine: ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, ${Math.round(
      os.totalmem() / 2 ** 30,
    )} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`,
  );
  const { knex, close, file } = await openDatabase();
  const store = await InventoryStore.create({
    database: { getClient: async () => knex } as any,
  });
  const loadStarted = Date.now();
  const [{ count }] = await knex('private_api_apis').count({ count: '*' });
  if (Number(count) === apis) {
    console.log(`load: ${apis} APIs already in ${named.reuse}`);
  } else {
    await load(store);
    console.log(
      `load: ${apis} APIs in ${((Date.now() - loadStarted) / 1000).toFixed(
        1,
      )} s (${db})`,
    );
  }
  const accessRequests = await AccessRequestStore.create({
    database: { getClient: async () => knex } as any,
  });
  const [{ count: stored }] = await knex('private_api_access_requests').count({
    count: '*',
  });
  if (Number(stored) < ACCESS_REQUESTS) {
    const ms = await seed(accessRequests, knex, ACCESS_REQUESTS);
    console.log(
      `access requests: ${ACCESS_REQUESTS} stored in ${(ms / 1000).toFixed(
        1,
      )} s`,
    );
  }
  if (db === 'postgres') {
    // What autovacuum does within minutes of a bulk write (the load, or a migration that
    // rewrote every row): statistics for the planner, and a visibility map that lets
    // index-only scans skip the table. Measured without it, a page reads each row's heap.
    const vacuumStarted = Date.now();
    await knex.raw('VACUUM (ANALYZE)');
    console.log(
      `vacuum: VACUUM (ANALYZE) in ${(
        (Date.now() - vacuumStarted) /
        1000
      ).toFixed(1)} s`,
    );
  }
  if (file) {
    // The file in the operating system's cache, as a backend that has been serving has it.
    // A reused file that other work has pushed out of the cache would otherwise have the
    // first run measure the disk: at 100,000 (1.6 GB) the first figures read after such
    // work measured up to 383 ms (search) where the next run measured 17-45 ms.
    const warmStarted = Date.now();
    let bytes = 0;
    for (const part of [file, `${file}-wal`].filter(f => fs.existsSync(f))) {
      bytes += readThrough(part);
    }
    console.log(
      `warm: read the database file (${(bytes / 2 ** 20).toFixed(0)} MiB) in ${(
        (Date.now() - warmStarted) /
        1000
      ).toFixed(1)} s`,
    );
  }

  const app = express();
  const router = await createRouter({
    logger: silentLogger,
    httpAuth: unused as HttpAuthService,
    permissions: unused as PermissionsService,
    store,
  });
  accessRoutes(router, accessRequests);
  app.use(router);
  const server = app.listen(0, '127.0.0.1');
  // Longer than any pause between phases, so that a kept-alive socket is never reused as
  // the server closes it.
  server.keepAliveTimeout = 120_000;
  await new Promise(resolve => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;

  const apiPath = (n: number) => {
    const i = Math.floor(prng(n + 1)() * apis);
    const scope = Math.floor(i / API_PER_SCOPE);
    return `/apis/${accountOf(scope)}/${REGION}/a${i
      .toString(36)
      .padStart(9, '0')}`;
  };
  const scopes = Math.ceil(apis / API_PER_SCOPE);
  const knownEndpoint = (n: number) => {
    const r = prng(n + 7);
    return vpceId(
      Math.floor(r() * scopes),
      Math.floor(r() * ENDPOINTS_PER_SCOPE),
    );
  };
  // Warm up the route handlers and the database's caches once.
  await send(port, apiPath(0));
  await send(port, `${apiPath(0)}/cost`);
  const walkStarted = Date.now();
  const { cursors } = await explorerCursors(port, PAGE);
  console.log(
    `explorer: ${cursors.length + 1} pages of ${PAGE} walked by cursor in ${(
      (Date.now() - walkStarted) /
      1000
    ).toFixed(1)} s`,
  );
  const costWalkStarted = Date.now();
  const byCost = await explorerCursors(port, PAGE, BY_COST);
  console.log(
    `explorer by cost (${BY_COST}): ${
      byCost.cursors.length + 1
    } pages of ${PAGE} walked by cursor in ${(
      (Date.now() - costWalkStarted) /
      1000
    ).toFixed(1)} s`,
  );
  // What the measured questions answer, so that a fast empty answer would show.
  for (const [what, url] of [
    ['reachableFrom', `/apis?reachableFrom=${knownEndpoint(0)}&limit=1`],
    ['search', `/apis?limit=${PAGE}&q=${WORDS[0]}-0`],
  ]) {
    const { totalCount } = JSON.parse((await send(port, url)).body);
    console.log(`${what}: ${url} matches ${totalCount} APIs`);
  }
  const middleByCost = byCost.cursors[Math.floor(byCost.cursors.length / 2)];
  const last = cursors[cursors.length - 1];
  // The floor on this machine: a route that reads nothing.
  console.log(
    `baseline: GET /health p95 ${await measure(port, () => '/health')} ms`,
  );
  const p95Ms = {
    apiDetail: await measure(port, apiPath),
    cost: await measure(port, n => `${apiPath(n)}/cost`),
    // The explorer's Next in the order a user picked: a page by cursor (its totals came
    // with the first page, and stay while only the page or the sort changes).
    explorerPage: await measure(
      port,
      () =>
        `/apis?limit=${PAGE}&${BY_COST}&after=${encodeURIComponent(
          middleByCost,
        )}`,
    ),
    explorerLastPage: await measure(
      port,
      () => `/apis?limit=${PAGE}&after=${encodeURIComponent(last)}`,
    ),
    search: await measure(
      port,
      n => `/apis?limit=${PAGE}&q=${WORDS[n % WORDS.length]}-${n % 1000}`,
    ),
    // "Callable from" as the explorer asks it: the first page in its default order and size
    // (the count and cost total come apart, measured below).
    reachableFrom: await measure(
      port,
      n =>
        `/apis?reachableFrom=${knownEndpoint(
          n,
        )}&limit=${PAGE}&sort=name&order=asc&totals=false`,
    ),
    accessRequests: await measure(port, n => ({
      path: `/access-requests?limit=${PAGE}`,
      user: n % REQUESTERS,
    })),
  };
  // What the explorer asks when it opens or a filter changes: the first page, and apart
  // the count and cost total of every match (which stay while only the page or the sort
  // changes); and when a user sorts by cost, the first page of that order. Printed beside
  // the p95s, not among them.
  const explorerFirst = await measure(
    port,
    () => `/apis?limit=${PAGE}&sort=name&order=asc&totals=false`,
  );
  const explorerTotals = await measure(port, () => `/apis?limit=0&totals=true`);
  const explorerSorted = await measure(
    port,
    () => `/apis?limit=${PAGE}&${BY_COST}&totals=false`,
  );
  console.log(
    `explorer as the frontend asks, p95: first page ${explorerFirst} ms, totals (/apis?limit=0&totals=true) ${explorerTotals} ms, first page by cost (${BY_COST}) ${explorerSorted} ms`,
  );
  // The rest of "Callable from": its count and cost total, which the explorer asks beside
  // the page; and the figure earlier results reported, a first page of 100 with its count.
  const reachableTotals = await measure(
    port,
    n => `/apis?reachableFrom=${knownEndpoint(n)}&limit=0&totals=true`,
  );
  const reachable100 = await measure(
    port,
    n => `/apis?reachableFrom=${knownEndpoint(n)}&limit=100`,
  );
  // The largest page the explorer offers (a user picks 100 a page).
  const reachablePicked100 = await measure(
    port,
    n =>
      `/apis?reachableFrom=${knownEndpoint(
        n,
      )}&limit=100&sort=name&order=asc&totals=false`,
  );
  console.log(
    `reachableFrom beside the page, p95: its totals (limit=0&totals=true) ${reachableTotals} ms; a first page of 100 with its count (limit=100) ${reachable100} ms; the explorer's page at 100 a page (limit=100&totals=false) ${reachablePicked100} ms`,
  );
  // From the shared-services endpoint: the page as the explorer asks it, and its totals.
  const shared = `/apis?reachableFrom=${SHARED_VPCE}`;
  const { totalCount: sharedMatches } = JSON.parse(
    (await send(port, `${shared}&limit=0`)).body,
  );
  const sharedPage = await measure(
    port,
    () => `${shared}&limit=${PAGE}&sort=name&order=asc&totals=false`,
  );
  const sharedTotals = await measure(
    port,
    () => `${shared}&limit=0&totals=true`,
  );
  console.log(
    `reachableFrom the shared-services endpoint (${sharedMatches} APIs let it in), p95: the explorer's first page ${sharedPage} ms; its totals (limit=0&totals=true) ${sharedTotals} ms`,
  );
  server.close();
  keepAlive.destroy();
  await clientThread.close();
  await close();
  console.log(
    `note: explorerPage is the middle page by cost (${BY_COST}) and explorerLastPage the last page by name, both asked for by cursor (no count), as the explorer's Next asks; search is a first page (its matches counted); reachableFrom is the first page of ${PAGE} by name that the explorer's "Callable from" asks (its count apart, printed above); accessRequests is the list of ${ACCESS_REQUESTS} stored requests as a requester sees it (view=all, the policy's conditions as a query)`,
  );
  console.log(JSON.stringify({ apis, db, p95Ms }));
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
