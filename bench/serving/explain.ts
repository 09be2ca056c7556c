/**
 * The query plans of the explorer's list in each sort (first page, and a page by cursor in
 * both orders) on a loaded benchmark database: `node --require
 * @backstage/cli-node/config/nodeTransform.cjs bench/serving/explain.ts FILE.sqlite` or, for
 * PostgreSQL, `… explain.ts postgres DATABASE` under `scripts/with-postgres.sh`.
 */
import knexFactory, { Knex } from 'knex';
import { API_LIST_SORTS } from '@private-api-catalog/plugin-private-api-common';
import { InventoryStore } from '../../plugins/private-api-backend/src/inventory/InventoryStore';

async function main() {
  const [target, database] = process.argv.slice(2);
  const knex: Knex =
    target === 'postgres'
      ? knexFactory({
          client: 'pg',
          connection: {
            host: process.env.PGHOST ?? '127.0.0.1',
            port: Number(process.env.PGPORT),
            user: process.env.PGUSER ?? 'postgres',
            database,
          },
        })
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
  for (const sort of API_LIST_SORTS) {
    for (const order of ['asc', 'desc'] as const) {
      const first = await store.listApis({
        sort,
        order,
        limit: 50,
        totals: false,
      });
      statements.length = 0;
      await store.listApis({
        sort,
        order,
        limit: 50,
        after: first.nextCursor,
      });
      const page = statements.find(s => s.sql.includes('page_key'))!;
      const plan =
        target === 'postgres'
          ? (await knex.raw(`explain ${page.sql}`, page.bindings as any)).rows
              .map((r: any) => r['QUERY PLAN'])
              .join('\n')
          : (
              await knex.raw(
                `explain query plan ${page.sql}`,
                page.bindings as any,
              )
            )
              .map((r: any) => r.detail)
              .join('\n');
      console.log(`--- sort=${sort} order=${order}, page by cursor\n${plan}`);
    }
  }
  await knex.destroy();
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
