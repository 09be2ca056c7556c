/**
 * The query plans of the explorer's list in each sort (first page, and a page by cursor in
 * both orders) on a loaded benchmark database: `node --require
 * @backstage/cli-node/config/nodeTransform.cjs bench/serving/explain.ts FILE.sqlite` or, for
 * PostgreSQL, `… explain.ts postgres DATABASE` under `scripts/with-postgres.sh` (the `database:` that
 * bench:serving printed).
 */
import knexFactory, { Knex } from 'knex';
import { API_LIST_SORTS } from '@private-api-catalog/plugin-private-api-common';
import { InventoryStore } from '../../plugins/private-api-backend/src/inventory/InventoryStore';

/** The server `scripts/with-postgres.sh` started, with the benchmark's database. */
function postgresUrl(database: string): string {
  const name = Object.keys(process.env).find(key =>
    /^BACKSTAGE_TEST_DATABASE_POSTGRES\d+_CONNECTION_STRING$/.test(key),
  );
  if (!name) throw new Error('Run it under bash scripts/with-postgres.sh');
  const url = new URL(process.env[name]!);
  url.pathname = `/${database}`;
  return url.toString();
}

async function main() {
  const [target, database] = process.argv.slice(2);
  const knex: Knex =
    target === 'postgres'
      ? knexFactory({ client: 'pg', connection: postgresUrl(database) })
      : knexFactory({
          client: 'better-sqlite3',
          connection: { filename: target },
          useNullAsDefault: true,
        });
  const store = await InventoryStore.create({
    database: { getClient: async () => knex } as any,
  });
  const statements: Array<{ sql: string; bindings: unknown[] }> = [];
  knex.on('query', q => statements.push({ sql: q.sql, bindings: q.bindings }));
  const plan = async (statement: { sql: string; bindings: unknown[] }) => {
    if (target !== 'postgres') {
      const rows = await knex.raw(
        `explain query plan ${statement.sql}`,
        statement.bindings as any,
      );
      return rows.map((r: any) => r.detail).join('\n');
    }
    // The statement as the pg driver got it ($1 placeholders): through the driver too.
    const connection = await knex.client.acquireConnection();
    try {
      const { rows } = await connection.query(
        `explain ${statement.sql}`,
        statement.bindings,
      );
      return rows.map((r: any) => r['QUERY PLAN']).join('\n');
    } finally {
      await knex.client.releaseConnection(connection);
    }
  };
  for (const sort of API_LIST_SORTS) {
    for (const order of ['asc', 'desc'] as const) {
      statements.length = 0;
      const first = await store.listApis({
        sort,
        order,
        limit: 50,
        totals: false,
      });
      const firstPage = statements.find(s => s.sql.includes('page_key'))!;
      console.log(
        `--- sort=${sort} order=${order}, first page\n${await plan(firstPage)}`,
      );
      statements.length = 0;
      await store.listApis({ sort, order, limit: 50, after: first.nextCursor });
      const page = statements.find(s => s.sql.includes('page_key'))!;
      console.log(
        `--- sort=${sort} order=${order}, page by cursor\n${await plan(page)}`,
      );
    }
  }
  statements.length = 0;
  await store.listApis({ limit: 0, totals: true });
  const totals = statements.find(
    s => s.sql.includes('monthly_cost_usd') && !s.sql.includes('page_key'),
  )!;
  console.log(`--- totals=true, no filter\n${await plan(totals)}`);
  await knex.destroy();
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
