/*
 * Catalog benchmark: how many entities the catalog module writes per discovery run.
 *
 * Crawls a generated estate (real SDK clients against the simulator, the real inventory on
 * SQLite or PostgreSQL), serves it through the plugin's real router on a loopback port,
 * and lets the real entity provider refresh a catalog that counts what it is sent, after:
 *
 *   1. the first crawl (the provider's start-up: everything once);
 *   2. a re-crawl that changed nothing;
 *   3. a re-crawl after k APIs changed in AWS (description, tags, name, a redeployment);
 *   4. a re-crawl after r APIs were deleted in AWS.
 *
 * Usage: npm run bench:catalog -- [accounts=4,rest=400,http=100,regions=1,seed=1] [k=10] [r=5] [--db sqlite|postgres]
 * PostgreSQL: run under scripts/with-postgres.sh (it exports the connection string).
 */
import { mockServices } from '@backstage/backend-test-utils';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import { stringifyEntityRef } from '@backstage/catalog-model';
import type { EntityProviderMutation } from '@backstage/plugin-catalog-node';
import express from 'express';
import Knex, { Knex as KnexType } from 'knex';
import fs from 'node:fs';
import { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
  generateEstate,
  parseGenerateSpec,
  start,
} from '@private-api-catalog/aws-simulator';
import { InventoryStore } from '../../plugins/private-api-backend/src/inventory/InventoryStore';
import { createDiscoveryRunner } from '../../plugins/private-api-backend/src/discovery/createDiscoveryRunner';
import { createRouter } from '../../plugins/private-api-backend/src/service/router';
import { InventoryClient } from '../../plugins/private-api-backend/src/module/InventoryClient';
import { PrivateApiEntityProvider } from '../../plugins/private-api-backend/src/module/PrivateApiEntityProvider';

const args = process.argv.slice(2);
const spec =
  args.find(a => a.startsWith('accounts=')) ??
  'accounts=4,rest=400,http=100,regions=1,seed=1';
const numberArg = (name: string, fallback: number) =>
  Number(args.find(a => a.startsWith(`${name}=`))?.split('=')[1] ?? fallback);
const changedApis = numberArg('k', 10);
const removedApis = numberArg('r', 5);
const db = args.includes('--db') ? args[args.indexOf('--db') + 1] : 'sqlite';

const silentLogger: LoggerService = {
  info: () => {},
  warn: () => {},
  error: () => {},
  debug: () => {},
  child: () => silentLogger,
};

async function openKnex(): Promise<KnexType> {
  if (db === 'sqlite') {
    return Knex({
      client: 'better-sqlite3',
      connection: ':memory:',
      useNullAsDefault: true,
    });
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
  const name = `bench_catalog_${Date.now()}`;
  const admin = Knex({ client: 'pg', connection: url });
  await admin.raw(`CREATE DATABASE ${name}`);
  await admin.destroy();
  return Knex({ client: 'pg', connection: `${url}/${name}` });
}

/** The catalog's side of the provider: counts the entities each refresh writes. */
class CountingCatalog {
  readonly refs = new Map<string, string | undefined>();
  /** `spec.type` of each Resource entity the catalog holds, by ref. */
  readonly resourceTypes = new Map<string, string>();
  written = 0;
  removed = 0;
  mutations = 0;

  apply(mutation: EntityProviderMutation) {
    if (mutation.type !== 'delta') throw new Error('expected delta mutations');
    this.mutations += 1;
    for (const r of mutation.removed) {
      const ref = 'entityRef' in r ? r.entityRef : stringifyEntityRef(r.entity);
      this.refs.delete(ref);
      this.resourceTypes.delete(ref);
      this.removed += 1;
    }
    for (const { entity, locationKey } of mutation.added) {
      const ref = stringifyEntityRef(entity);
      this.refs.set(ref, locationKey);
      if (entity.kind === 'Resource') {
        this.resourceTypes.set(ref, String(entity.spec?.type));
      }
      this.written += 1;
    }
  }

  take() {
    const figures = {
      mutations: this.mutations,
      written: this.written,
      removed: this.removed,
    };
    this.mutations = 0;
    this.written = 0;
    this.removed = 0;
    return figures;
  }
}

async function main() {
  const estate = generateEstate(parseGenerateSpec(spec));
  const simulator = await start({ estate, quotas: false });
  process.env.AWS_ENDPOINT_URL_STS = simulator.url;
  const regions = simulator.estate.accounts.flatMap(a => [
    ...a.regions.values(),
  ]);
  const apiCount = () =>
    regions.reduce((n, r) => n + r.restApis.length + r.v2Apis.length, 0);

  const knex = await openKnex();
  const store = await InventoryStore.create({
    database: { getClient: async () => knex },
  });
  const { runner } = createDiscoveryRunner({
    rootConfig: new ConfigReader({
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
        quotas: { enabled: false },
      },
    }),
    store,
    logger: silentLogger,
  });

  // The plugin's router, as the catalog module reaches it over HTTP.
  const router = await createRouter({
    logger: silentLogger,
    httpAuth: mockServices.httpAuth({ pluginId: 'private-api' }),
    permissions: mockServices.permissions(),
    store,
  });
  const server = express().use(router).listen(0, '127.0.0.1');
  await new Promise(resolve => server.once('listening', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const catalog = new CountingCatalog();
  const provider = new PrivateApiEntityProvider({
    inventory: new InventoryClient(
      {
        getBaseUrl: async () => baseUrl,
        getExternalBaseUrl: async () => baseUrl,
      },
      mockServices.auth(),
    ),
    catalog: {
      getEntities: async (request: any) => {
        const key = Object.values(request.filter)[0];
        return {
          items: [...catalog.refs]
            .filter(([, locationKey]) => locationKey === key)
            .map(([ref]) => {
              const [kind, rest] = ref.split(':');
              const [namespace, name] = rest.split('/');
              return { kind, metadata: { namespace, name } };
            }),
        };
      },
    } as any,
    auth: mockServices.auth(),
    logger: silentLogger,
    scheduler: { scheduleTask: async () => {} } as any,
    schedule: { frequency: { seconds: 30 }, timeout: { minutes: 10 } },
    transform: {
      tagKeys: { owner: 'owner', system: 'system', lifecycle: 'lifecycle' },
      defaults: { owner: 'group:default/platform', lifecycle: 'production' },
    },
  });
  await provider.connect({
    applyMutation: async m => catalog.apply(m),
    refresh: async () => {},
  });

  const step = async (label: string) => {
    const started = Date.now();
    await runner.run();
    const crawlMs = Date.now() - started;
    const refreshStarted = Date.now();
    await provider.refresh();
    return {
      label,
      apis: apiCount(),
      ...catalog.take(),
      crawlMs,
      refreshMs: Date.now() - refreshStarted,
    };
  };

  const steps = [await step('first crawl (provider start-up)')];
  steps.push(await step('re-crawl, nothing changed'));

  // k APIs change in AWS, spread over the accounts.
  const rest = regions.flatMap(r => r.restApis);
  const stride = Math.max(1, Math.floor(rest.length / changedApis));
  for (let i = 0; i < changedApis; i++) {
    const api = rest[i * stride];
    if (i % 4 === 0) api.description = `Changed by the benchmark ${i}`;
    if (i % 4 === 1) api.tags = { ...api.tags, team: `bench-${i}` };
    if (i % 4 === 2) api.name = `${api.name}-renamed`;
    if (i % 4 === 3) api.stages[0].deploymentId = `bench${i}`;
  }
  steps.push(await step(`re-crawl, ${changedApis} APIs changed`));

  // r APIs deleted in AWS.
  for (let i = 0; i < removedApis; i++) {
    const region = regions[i % regions.length];
    const gone = region.restApis.pop()!;
    region.restApisById.delete(gone.id);
  }
  steps.push(await step(`re-crawl, ${removedApis} APIs deleted`));

  server.close();
  await simulator.stop();
  await knex.destroy();

  const resources = (type: string) =>
    [...catalog.resourceTypes.values()].filter(t => t === type).length;
  const result = {
    estate: `${spec} (${steps[0].apis} APIs; Resource entities: ${resources(
      'aws-vpc-endpoint',
    )} VPC endpoints, ${resources(
      'lambda-function',
    )} Lambda functions, ${resources('load-balancer')} load balancers)`,
    db,
    machine: `${os.cpus().length} × ${
      os.cpus()[0]?.model ?? 'cpu'
    }, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${
      process.version
    }, ${os.platform()} ${os.release()}`,
    date: new Date().toISOString(),
    steps,
  };
  const lines = [
    `Catalog benchmark, ${result.estate}, ${db}`,
    `Machine: ${result.machine}`,
    '',
    'run                                  | APIs  | mutations | written | removed | crawl ms | refresh ms',
    '------------------------------------ | ----- | --------- | ------- | ------- | -------- | ----------',
    ...steps.map(
      s =>
        `${s.label.padEnd(36)} | ${String(s.apis).padStart(5)} | ${String(
          s.mutations,
        ).padStart(9)} | ${String(s.written).padStart(7)} | ${String(
          s.removed,
        ).padStart(7)} | ${String(s.crawlMs).padStart(8)} | ${String(
          s.refreshMs,
        ).padStart(10)}`,
    ),
    '',
    'Before the delta provider every run rewrote every entity of every scope (written = all entities).',
  ];
  console.log(lines.join('\n'));
  const figures = (pick: (s: (typeof steps)[number]) => number) => ({
    firstRun: pick(steps[0]),
    unchanged: pick(steps[1]),
    [`changed${changedApis}`]: pick(steps[2]),
    [`deleted${removedApis}`]: pick(steps[3]),
  });
  const summary = {
    apis: steps[0].apis,
    db,
    entitiesWritten: figures(s => s.written),
    entitiesRemoved: figures(s => s.removed),
  };
  console.log(JSON.stringify(summary));
  if (args.includes('--save')) {
    const suffix = db === 'sqlite' ? '' : `-${db}`;
    fs.writeFileSync(
      path.join(__dirname, `result${suffix}.txt`),
      `${lines.join('\n')}\n${JSON.stringify(summary)}\n`,
    );
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
