/*
 * What the invoke URL of an API listed by "which APIs can this VPC call" needs besides its
 * summary, as columns written with the API's record and stages (InventoryStore.writeApi), so
 * that the list reads them with the page instead of parsing each API's record JSON and
 * looking up its stages: its partition, the VPC endpoints associated with it (the Route 53
 * alias names), whether its default execute-api endpoint is turned off, and its first stage
 * by name (in the database's order, as the stages table sorts them).
 *
 * And an index that the list's first step (the page's keys in name order, among the APIs a
 * caller or a search matched) reads alone: by key, with the name to sort by and the invoke
 * columns. Without it each match is two look-ups (the key's index, then the row, whose
 * later columns sit on SQLite overflow pages behind the stored JSON documents).
 *
 * Existing rows are filled here from their record and stages, so no answer depends on the
 * next crawl.
 */

const PAGE_INDEX_COLUMNS = [
  'api_key',
  'endpoint_type',
  'name',
  'aws_partition',
  'disable_execute_api_endpoint',
  'first_stage',
];

/**
 * The associated endpoints too on SQLite (where reading them from the row means walking its
 * overflow pages); not on PostgreSQL, whose B-tree entries must stay under about 2.7 KB while
 * an API may be associated with many endpoints (and whose rows keep long values apart).
 */
const pageIndexColumns = knex =>
  knex.client.config.client === 'pg'
    ? PAGE_INDEX_COLUMNS
    : [...PAGE_INDEX_COLUMNS, 'vpc_endpoint_ids'];

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.alterTable('private_api_apis', table => {
    table
      .string('aws_partition', 16)
      .comment(
        'Partition of the API (aws, aws-cn, aws-us-gov): its host names',
      );
    table
      .text('vpc_endpoint_ids')
      .comment(
        'VPC endpoints associated with the API, comma-separated (empty: none)',
      );
    table
      .boolean('disable_execute_api_endpoint')
      .comment('The default execute-api endpoint of the API is turned off');
    table
      .string('first_stage')
      .comment('The first stage by name: the stage a listed invoke URL names');
  });
  if (knex.client.config.client === 'pg') {
    await knex.raw(`
      update private_api_apis set
        aws_partition = record::json->>'partition',
        vpc_endpoint_ids = coalesce((
          select string_agg(v.id, ',' order by v.n)
          from json_array_elements_text(record::json->'vpcEndpointIds') with ordinality as v(id, n)
        ), ''),
        disable_execute_api_endpoint = coalesce((record::json->>'disableExecuteApiEndpoint')::boolean, false)`);
  } else {
    await knex.raw(`
      update private_api_apis set
        aws_partition = json_extract(record, '$.partition'),
        vpc_endpoint_ids = coalesce((
          select group_concat(v.value, ',')
          from (select value from json_each(private_api_apis.record, '$.vpcEndpointIds') order by key) v
        ), ''),
        disable_execute_api_endpoint = coalesce(json_extract(record, '$.disableExecuteApiEndpoint'), 0)`);
  }
  await knex.raw(`
    update private_api_apis set first_stage = (
      select min(s.item_id) from private_api_stages s where s.api_key = private_api_apis.api_key
    )`);
  await knex.schema.alterTable('private_api_apis', table => {
    table.index(pageIndexColumns(knex), 'private_api_apis_page_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('private_api_apis', table => {
    table.dropIndex(pageIndexColumns(knex), 'private_api_apis_page_idx');
  });
  // ALTER TABLE … DROP COLUMN, not knex's dropColumn: on SQLite that copies the table into a
  // new one and drops the old, and with foreign keys on, the drop deletes every API's
  // stages, routes, integrations and traffic with it (ON DELETE CASCADE).
  for (const column of [
    'first_stage',
    'aws_partition',
    'vpc_endpoint_ids',
    'disable_execute_api_endpoint',
  ]) {
    await knex.raw('alter table private_api_apis drop column ??', [column]);
  }
};
