/*
 * "Which APIs can this VPC call", first page by name, in time proportional to the page.
 *
 * The explorer's "Callable from" list is sorted by name. Its page used to gather every API
 * the caller's endpoints may call (a few hundred per endpoint in the benchmark's estate, and
 * as many as the Region holds for an endpoint every policy lets in), look each one's name
 * up and sort them all, for the first 50. With the API's name beside the reverse index's
 * row (`target_name`, kept equal to the API's name by the store), the rows naming an
 * endpoint are read in name order and the page stops after a page of them; the APIs open to
 * any endpoint are read in name order from the open-APIs index the same way.
 *
 * The new caller index replaces private_api_callers_reach_idx (20261126_h20_reachable_indexes),
 * whose columns it holds in the same order up to the key; the open-APIs index likewise.
 */

const REACH_INDEX = {
  old: {
    name: 'private_api_callers_reach_idx',
    columns: ['caller', 'region', 'target_kind', 'verdict', 'target_key'],
  },
  new: {
    name: 'private_api_callers_reach_name_idx',
    columns: [
      'caller',
      'region',
      'target_kind',
      'verdict',
      'target_name',
      'target_key',
    ],
  },
};

const OPEN_INDEX = {
  old: {
    name: 'private_api_apis_open_idx',
    columns: ['region', 'caller_access', 'endpoint_type'],
  },
  new: {
    name: 'private_api_apis_open_name_idx',
    columns: ['region', 'caller_access', 'endpoint_type', 'name', 'api_key'],
  },
};

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.alterTable('private_api_callers', table => {
    table
      .string('target_name')
      .comment(
        "An API's row: the API's name (its list order), kept equal to private_api_apis.name",
      );
  });
  await knex.raw(
    `update private_api_callers set target_name = (select a.name from private_api_apis a where a.api_key = private_api_callers.target_key) where target_kind = 'api'`,
  );
  await knex.schema.alterTable('private_api_callers', table => {
    table.dropIndex(REACH_INDEX.old.columns, REACH_INDEX.old.name);
    table.index(REACH_INDEX.new.columns, REACH_INDEX.new.name);
  });
  await knex.schema.alterTable('private_api_apis', table => {
    table.dropIndex(OPEN_INDEX.old.columns, OPEN_INDEX.old.name);
    table.index(OPEN_INDEX.new.columns, OPEN_INDEX.new.name);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  const { dropColumns } = require('./lib/dropColumns');
  await knex.schema.alterTable('private_api_apis', table => {
    table.dropIndex(OPEN_INDEX.new.columns, OPEN_INDEX.new.name);
    table.index(OPEN_INDEX.old.columns, OPEN_INDEX.old.name);
  });
  await knex.schema.alterTable('private_api_callers', table => {
    table.dropIndex(REACH_INDEX.new.columns, REACH_INDEX.new.name);
    table.index(REACH_INDEX.old.columns, REACH_INDEX.old.name);
  });
  await dropColumns(knex, 'private_api_callers', ['target_name']);
};
