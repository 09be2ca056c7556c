/*
 * What keeps the estate questions and the estate index proportional at 100,000 APIs:
 * - "which APIs can this endpoint call" (GET /apis?reachableFrom=…) starts from the caller
 *   index instead of visiting every private API of the Region: the rows naming one endpoint
 *   (covering, so the API keys come from the index alone), and the APIs of a Region open to
 *   any endpoint;
 * - a scope's APIs in key order (the estate index and the catalog page through them) without
 *   sorting the scope's rows for every page;
 * - SQLite: the rowid of each API's search document, so that rewriting it deletes one row
 *   instead of scanning the FTS5 table (whose api_key column is not indexed).
 */

/** @param {import('knex').Knex} knex */
const { dropColumns } = require('./lib/dropColumns');

exports.up = async function up(knex) {
  await knex.schema.alterTable('private_api_callers', table => {
    table.index(
      ['caller', 'region', 'target_kind', 'verdict', 'target_key'],
      'private_api_callers_reach_idx',
    );
  });
  await knex.schema.alterTable('private_api_apis', table => {
    table.index(
      ['region', 'caller_access', 'endpoint_type'],
      'private_api_apis_open_idx',
    );
    table.index(
      ['account_id', 'region', 'api_key'],
      'private_api_apis_scope_key_idx',
    );
    table
      .bigInteger('search_rowid')
      .comment('SQLite: rowid of the API in private_api_search');
  });
  if (knex.client.config.client !== 'pg') {
    // One pass over the search table, not one per API.
    await knex.raw(
      'create temp table search_rowids as select api_key, max(rowid) as search_rowid from private_api_search group by api_key',
    );
    await knex.raw(
      'create unique index temp.search_rowids_key on search_rowids (api_key)',
    );
    await knex.raw(
      'update private_api_apis set search_rowid = (select r.search_rowid from temp.search_rowids r where r.api_key = private_api_apis.api_key)',
    );
    await knex.raw('drop table temp.search_rowids');
  }
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('private_api_apis', table => {
    table.dropIndex(
      ['account_id', 'region', 'api_key'],
      'private_api_apis_scope_key_idx',
    );
    table.dropIndex(
      ['region', 'caller_access', 'endpoint_type'],
      'private_api_apis_open_idx',
    );
  });
  await dropColumns(knex, 'private_api_apis', ['search_rowid']);
  await knex.schema.alterTable('private_api_callers', table => {
    table.dropIndex(
      ['caller', 'region', 'target_kind', 'verdict', 'target_key'],
      'private_api_callers_reach_idx',
    );
  });
};
