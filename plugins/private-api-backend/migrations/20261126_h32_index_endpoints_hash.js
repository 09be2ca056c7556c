/*
 * The endpoints hash each API's reverse-index entry was computed with. When the execute-api
 * VPC endpoints of a Region change, the APIs of the other accounts there whose entries were
 * computed with other endpoints are found by this column alone, instead of re-reading every
 * API of the Region (which, with every scope of a run finishing at once, each scope did).
 */

/** @param {import('knex').Knex} knex */
const { dropColumns } = require('./lib/dropColumns');

exports.up = async function up(knex) {
  await knex.schema.alterTable('private_api_apis', table => {
    table
      .string('callers_endpoints_hash', 64)
      .nullable()
      .comment(
        'Hash of the Region endpoints the reverse-index entry was computed with',
      );
    table.index(
      ['region', 'callers_endpoints_hash'],
      'private_api_apis_callers_endpoints_idx',
    );
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('private_api_apis', table => {
    table.dropIndex(
      ['region', 'callers_endpoints_hash'],
      'private_api_apis_callers_endpoints_idx',
    );
  });
  await dropColumns(knex, 'private_api_apis', ['callers_endpoints_hash']);
};
