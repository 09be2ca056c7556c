/*
 * Access-request list benchmark: stores 10,000 requests (200 APIs, 100 requesters, 20 owning
 * groups, every state) through the real store, then times the list as the REST API serves
 * it: the recommended permission policy's conditional decision for a user, turned into a
 * database query by the permission framework's condition transformer, one page of 50, with
 * filters and cursor paging. On SQLite, and on PostgreSQL when one is given (run it under
 * scripts/with-postgres.sh, as `npm run bench:access` does).
 *
 * Usage: npm run bench:access -- [requests=10000] [--iterations 200] [--no-save]
 */
import type { BackstageUserInfo } from '@backstage/backend-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  ConditionTransformer,
  createConditionTransformer,
} from '@backstage/plugin-permission-node';
import {
  accessRequestReadPermission,
  accessRequestApprovePermission,
} from '@private-api-catalog/plugin-private-api-common';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Knex, { Knex as KnexType } from 'knex';
import { AccessRequestStore } from '../../plugins/private-api-backend/src/access/AccessRequestStore';
import {
  AccessRequestFilter,
  accessRequestPermissionRules,
} from '../../plugins/private-api-backend/src/access/permissions';
import { privateApiAccessRequestDecision } from '../../plugins/private-api-backend/src/access/policy';
import { databaseServiceFor } from '../../plugins/private-api-backend/src/__testUtils__/databases';
import {
  API_COUNT,
  GROUPS,
  REQUESTERS,
  seed,
  userInfo,
  userRef,
} from './fixture';

const args = process.argv.slice(2);
const total = Number(
  args.find(a => a.startsWith('requests='))?.split('=')[1] ?? 10_000,
);
const iterations = Number(
  args.includes('--iterations') ? args[args.indexOf('--iterations') + 1] : 200,
);
const TARGET_P95_MS = 50;

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
}

async function measure(store: AccessRequestStore) {
  const toQuery: ConditionTransformer<AccessRequestFilter> =
    createConditionTransformer(Object.values(accessRequestPermissionRules));
  const criteriaFor = (
    user: BackstageUserInfo,
    permission: typeof accessRequestReadPermission,
  ) => {
    const decision = privateApiAccessRequestDecision(
      { permission } as any,
      user,
    )!;
    if (decision.result !== AuthorizeResult.CONDITIONAL) {
      throw new Error('expected a conditional decision');
    }
    return toQuery(decision.conditions);
  };
  type Scenario = {
    name: string;
    run: (i: number) => Promise<unknown>;
  };
  const scenarios: Scenario[] = [
    {
      name: 'all I may see, first page',
      run: i =>
        store.page({
          filter: {},
          criteria: [
            criteriaFor(userInfo(i % REQUESTERS), accessRequestReadPermission),
          ],
          limit: 50,
        }),
    },
    {
      name: 'approvals, pending',
      run: i =>
        store.page({
          filter: { states: ['pending'] },
          criteria: [
            criteriaFor(userInfo(i % REQUESTERS), accessRequestReadPermission),
            criteriaFor(
              userInfo(i % REQUESTERS),
              accessRequestApprovePermission as any,
            ),
          ],
          limit: 50,
        }),
    },
    {
      name: 'mine',
      run: i =>
        store.page({
          filter: { requester: userRef(i % REQUESTERS) },
          criteria: [
            criteriaFor(userInfo(i % REQUESTERS), accessRequestReadPermission),
          ],
          limit: 50,
        }),
    },
    {
      name: 'one API, by entity ref',
      run: i =>
        store.page({
          filter: { entityRef: `api:default/api-${i % API_COUNT}` },
          criteria: [
            criteriaFor(userInfo(i % REQUESTERS), accessRequestReadPermission),
          ],
          limit: 50,
        }),
    },
    {
      name: 'fifth page by cursor',
      run: async i => {
        const criteria = [
          criteriaFor(userInfo(i % REQUESTERS), accessRequestReadPermission),
        ];
        let cursor: string | undefined;
        for (let page = 0; page < 5; page++) {
          cursor = (
            await store.page({ filter: {}, criteria, limit: 50, cursor })
          ).nextCursor;
        }
      },
    },
  ];
  const all: number[] = [];
  const byScenario: Record<string, { p50: number; p95: number }> = {};
  for (const scenario of scenarios) {
    const times: number[] = [];
    // Warm-up, then measured runs.
    for (let i = 0; i < 10; i++) await scenario.run(i);
    for (let i = 0; i < iterations; i++) {
      const t = process.hrtime.bigint();
      await scenario.run(i);
      times.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    // The fifth page is five requests: its per-request time is what a user waits for.
    const perRequest = scenario.name.startsWith('fifth')
      ? times.map(t => t / 5)
      : times;
    perRequest.sort((a, b) => a - b);
    all.push(...perRequest);
    byScenario[scenario.name] = {
      p50: percentile(perRequest, 0.5),
      p95: percentile(perRequest, 0.95),
    };
  }
  all.sort((a, b) => a - b);
  return { p50: percentile(all, 0.5), p95: percentile(all, 0.95), byScenario };
}

/** The 1-minute load average, rounded: the machine is shared, and the p95 feels it. */
const load = () => Number(os.loadavg()[0].toFixed(2));

async function runOn(name: string, knex: KnexType) {
  const store = await AccessRequestStore.create({
    database: databaseServiceFor(knex),
  });
  const seedMs = await seed(store, knex, total);
  const loadBefore = load();
  const result = await measure(store);
  const loadAfter = load();
  await knex.destroy();
  return {
    database: name,
    seedMs,
    loadAverage: [loadBefore, loadAfter],
    ...result,
  };
}

async function main() {
  const results = [
    await runOn(
      'sqlite',
      // In memory, as Backstage's default SQLite database is.
      Knex({
        client: 'better-sqlite3',
        connection: { filename: ':memory:' },
        useNullAsDefault: true,
        pool: { min: 1, max: 1 },
      }),
    ),
  ];
  const pgKey = Object.keys(process.env).find(k =>
    /^BACKSTAGE_TEST_DATABASE_POSTGRES\d+_CONNECTION_STRING$/.test(k),
  );
  if (pgKey) {
    const admin = Knex({ client: 'pg', connection: process.env[pgKey] });
    const database = `bench_access_${Date.now()}`;
    await admin.raw(`CREATE DATABASE ${database}`);
    await admin.destroy();
    results.push(
      await runOn(
        'postgres',
        Knex({
          client: 'pg',
          connection: `${process.env[pgKey]}/${database}`,
        }),
      ),
    );
  } else {
    console.warn(
      'No PostgreSQL (run under scripts/with-postgres.sh): SQLite only',
    );
  }

  const machine = `${os.cpus().length} × ${
    os.cpus()[0]?.model ?? 'cpu'
  }, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${
    process.version
  }, ${os.platform()} ${os.release()}`;
  const lines = [
    `requests: ${total} stored (${API_COUNT} APIs, ${REQUESTERS} requesters, ${GROUPS} owning groups, every state); ${iterations} timed lists per scenario, page size 50`,
    `machine:  ${machine}`,
    ...results.flatMap(r => [
      `${r.database}: seeded in ${(r.seedMs / 1000).toFixed(
        1,
      )} s; load average ${r.loadAverage.join(' → ')} while timed (${
        os.cpus().length
      } cores)`,
      ...Object.entries(r.byScenario).map(
        ([scenario, t]) =>
          `  ${scenario.padEnd(28)} p50 ${t.p50.toFixed(
            2,
          )} ms  p95 ${t.p95.toFixed(2)} ms`,
      ),
    ]),
    `access list p95 at ${total} requests: ${results
      .map(r => `${r.database} ${r.p95.toFixed(2)} ms`)
      .join(', ')} (target ≤ ${TARGET_P95_MS} ms: ${
      results.every(r => r.p95 <= TARGET_P95_MS) ? 'met' : 'NOT met'
    })`,
  ];
  console.log(lines.join('\n'));
  if (!args.includes('--no-save')) {
    fs.writeFileSync(
      path.join(__dirname, 'result.json'),
      `${JSON.stringify(
        { date: new Date().toISOString(), machine, total, iterations, results },
        null,
        2,
      )}\n`,
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
