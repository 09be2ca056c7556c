/*
 * Indexes for "which APIs can this endpoint call" (GET /apis?reachableFrom=…), which starts
 * from the caller index instead of visiting every private API of the Region: the rows naming
 * one endpoint (covering, so the API keys come from the index alone), and the APIs of a
 * Region open to any endpoint.
 */

/** @param {import('knex').Knex} knex */
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
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('private_api_apis', table => {
    table.dropIndex(
      ['region', 'caller_access', 'endpoint_type'],
      'private_api_apis_open_idx',
    );
  });
  await knex.schema.alterTable('private_api_callers', table => {
    table.dropIndex(
      ['caller', 'region', 'target_kind', 'verdict', 'target_key'],
      'private_api_callers_reach_idx',
    );
  });
};
