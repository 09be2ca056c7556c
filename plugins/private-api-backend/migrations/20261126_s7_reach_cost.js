/*
 * "Callable from" totals read from the reverse index alone.
 *
 * The explorer asks, beside a `reachableFrom` page, how many APIs the caller may call and
 * their monthly cost. That aggregate joined every matching reverse-index row to its API's
 * row for the cost: from an endpoint that 16,000 of 100,000 APIs let in, 54 ms alone on
 * PostgreSQL (a scan of every private API's cost to hash-join them) and 253 ms p95 with 8
 * clients. The rows now carry their API's monthly cost (`monthly_cost_usd`, kept equal to
 * the API's by the store, as `target_name` is), and the caller index holds it, so the
 * totals are one index-only range per endpoint.
 *
 * The new index replaces private_api_callers_reach_name_idx (20261126_s6_reach_by_name),
 * whose columns it holds in the same order, the cost after them.
 */

const OLD_INDEX = {
  name: 'private_api_callers_reach_name_idx',
  columns: [
    'caller',
    'region',
    'target_kind',
    'verdict',
    'target_name',
    'target_key',
  ],
};

const NEW_INDEX = {
  name: 'private_api_callers_reach_cost_idx',
  columns: [...OLD_INDEX.columns, 'monthly_cost_usd'],
};

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.alterTable('private_api_callers', table => {
    table
      .double('monthly_cost_usd')
      .comment(
        "An API's row: the API's monthly cost estimate, kept equal to private_api_apis.monthly_cost_usd",
      );
  });
  await knex.raw(
    `update private_api_callers set monthly_cost_usd = (select a.monthly_cost_usd from private_api_apis a where a.api_key = private_api_callers.target_key) where target_kind = 'api'`,
  );
  await knex.schema.alterTable('private_api_callers', table => {
    table.dropIndex(OLD_INDEX.columns, OLD_INDEX.name);
    table.index(NEW_INDEX.columns, NEW_INDEX.name);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('private_api_callers', table => {
    table.dropIndex(NEW_INDEX.columns, NEW_INDEX.name);
    table.index(OLD_INDEX.columns, OLD_INDEX.name);
  });
  await knex.schema.alterTable('private_api_callers', table => {
    table.dropColumn('monthly_cost_usd');
  });
};
