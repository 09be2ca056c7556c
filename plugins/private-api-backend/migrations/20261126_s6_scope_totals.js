/*
 * The explorer's totals over whole accounts and Regions, kept on each scope's row.
 *
 * When the explorer opens, it asks for the number of APIs and the sum of their monthly
 * costs (`GET /apis?limit=0&totals=true`), then again for each account or Region picked. As
 * one aggregate, that visits every API of the estate: 80-160 ms at 100,000 APIs with eight
 * users asking at once. The store now keeps each scope's count, priced count and cost total
 * on its row, in the transactions that change them (see InventoryStore.refreshScopeTotals),
 * and such totals add up scope rows. This fills them for the scopes stored before.
 */

const aggregate = expression =>
  `(select ${expression} from private_api_apis a where a.account_id = private_api_scopes.account_id and a.region = private_api_scopes.region)`;

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.alterTable('private_api_scopes', table => {
    table
      .integer('priced_api_count')
      .notNullable()
      .defaultTo(0)
      .comment('APIs of the scope with a monthly cost figure');
    table
      .double('monthly_cost_total_usd')
      .notNullable()
      .defaultTo(0)
      .comment('Sum of the monthly cost figures of the scope');
  });
  await knex.raw(
    `update private_api_scopes set api_count = ${aggregate(
      'count(*)',
    )}, priced_api_count = ${aggregate(
      'count(a.monthly_cost_usd)',
    )}, monthly_cost_total_usd = ${aggregate(
      'coalesce(sum(a.monthly_cost_usd), 0)',
    )}`,
  );
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  const { dropColumns } = require('./lib/dropColumns');
  await dropColumns(knex, 'private_api_scopes', [
    'priced_api_count',
    'monthly_cost_total_usd',
  ]);
};
