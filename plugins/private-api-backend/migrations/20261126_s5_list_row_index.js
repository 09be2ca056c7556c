/*
 * A listed API's row read from one index, on SQLite.
 *
 * The API lists (the explorer, search, "which APIs can this VPC call") read a dozen short
 * columns per listed API. On SQLite the later of them sit behind the stored JSON documents of
 * the row (record, details, cost, policy analysis), on its overflow pages, so reading them
 * means walking those pages: about two thirds of a `reachableFrom` page's database time at
 * 10,000 APIs. This index holds every column a list reads, keyed by the API's key with the
 * endpoint type and name first (what the page step reads), so both steps of a list page read
 * the index alone. It replaces the page index of 20261126_h30_invoke_columns, which it covers.
 *
 * PostgreSQL keeps long values apart from the row (TOAST) and reads a row's short columns
 * without them, and its B-tree entries must stay under about 2.7 KB while tags and the
 * associated endpoints have no bound: no such index there; the page index stays.
 *
 * A `reachableFrom` page also reads, for each listed API and caller, the verdict, principals
 * and reason of the reverse index: a covering index for those on SQLite too, where the
 * table's primary key is an index apart from the row.
 *
 * Also fills `tags` where it is empty. The crawl wrote it with the estate index only, after
 * the API's record; it now writes it with the record, so a list never needs the record.
 */

const PAGE_INDEX_COLUMNS = [
  'api_key',
  'endpoint_type',
  'name',
  'aws_partition',
  'disable_execute_api_endpoint',
  'first_stage',
];

const LIST_ROW_COLUMNS = [
  ...PAGE_INDEX_COLUMNS,
  'vpc_endpoint_ids',
  'account_id',
  'region',
  'api_id',
  'api_type',
  'tags',
  'authorization_types',
  'allowed_vpc_count',
  'monthly_cost_usd',
  'caller_access',
  'cross_account',
  'has_policy',
  'owner_ref',
];

const CALLER_ROW_COLUMNS = [
  'target_key',
  'caller',
  'verdict',
  'principals',
  'reason',
];

const isPostgres = knex => knex.client.config.client === 'pg';

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  if (isPostgres(knex)) {
    await knex.raw(
      `update private_api_apis set tags = (record::json->'tags')::text where tags is null`,
    );
    return;
  }
  await knex.raw(
    `update private_api_apis set tags = json_extract(record, '$.tags') where tags is null`,
  );
  await knex.schema.alterTable('private_api_apis', table => {
    table.dropIndex(
      [...PAGE_INDEX_COLUMNS, 'vpc_endpoint_ids'],
      'private_api_apis_page_idx',
    );
    table.index(LIST_ROW_COLUMNS, 'private_api_apis_list_row_idx');
  });
  await knex.schema.alterTable('private_api_callers', table => {
    table.index(CALLER_ROW_COLUMNS, 'private_api_callers_row_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  if (isPostgres(knex)) return;
  await knex.schema.alterTable('private_api_callers', table => {
    table.dropIndex(CALLER_ROW_COLUMNS, 'private_api_callers_row_idx');
  });
  await knex.schema.alterTable('private_api_apis', table => {
    table.dropIndex(LIST_ROW_COLUMNS, 'private_api_apis_list_row_idx');
    table.index(
      [...PAGE_INDEX_COLUMNS, 'vpc_endpoint_ids'],
      'private_api_apis_page_idx',
    );
  });
};
