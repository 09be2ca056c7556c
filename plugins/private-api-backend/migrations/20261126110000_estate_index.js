/*
 * The estate index, written at crawl time: which VPC endpoints each private API (and private
 * custom domain) lets in, the explorer's summary columns, and a full-text search document per
 * API (SQLite FTS5; PostgreSQL full-text over a GIN index).
 */

/** @param {import('knex').Knex} knex */
const { dropColumns } = require('./lib/dropColumns');

exports.up = async function up(knex) {
  await knex.schema.alterTable('private_api_apis', table => {
    table
      .string('callers_hash')
      .comment('Hash of what the stored callers were computed from');
    table
      .string('caller_access', 16)
      .comment(
        'any: endpoints the policy does not name get in; listed: only named ones; none; unknown',
      );
    table
      .boolean('cross_account')
      .comment('Callers of another account can get in');
    table.boolean('has_policy').comment('The API has a resource policy');
    table
      .text('tags')
      .comment(
        'Tags as JSON: what the explorer lists without reading the record',
      );
    table
      .text('search_text')
      .comment('Words the explorer search matches (names, routes, targets)');
    table.index(['name', 'api_key'], 'private_api_apis_name_idx');
    table.index(
      ['region', 'endpoint_type', 'name', 'api_key'],
      'private_api_apis_region_idx',
    );
  });

  await knex.schema.createTable('private_api_callers', table => {
    table.comment(
      'Reverse index: the verdict of a private API or domain policy for VPC endpoints of its Region',
    );
    table
      .string('target_key')
      .notNullable()
      .comment('api_key of an API, or domain:{account}:{region}:{name+id}');
    table.string('target_kind', 8).notNullable();
    table.string('region', 32).notNullable();
    table
      .string('caller')
      .notNullable()
      .comment('A vpce id, or * for endpoints the policy does not name');
    table.string('vpc_id');
    table
      .string('verdict', 16)
      .notNullable()
      .comment('allowed | signed-only | denied | unknown');
    table.text('principals').comment('signed-only: who may call, one per line');
    table.text('reason').notNullable();
    table.primary(['target_key', 'caller']);
    table.index(['caller', 'verdict'], 'private_api_callers_caller_idx');
    table.index(['region'], 'private_api_callers_region_idx');
  });

  await knex.schema.createTable('private_api_index_state', table => {
    table.comment(
      'What the stored reverse index of a Region was computed from',
    );
    table.string('region', 32).primary().notNullable();
    table
      .string('endpoints_hash')
      .notNullable()
      .comment('Hash of the execute-api VPC endpoints of the Region');
  });

  if (knex.client.config.client === 'pg') {
    await knex.raw(
      `CREATE INDEX private_api_apis_search_idx ON private_api_apis USING GIN (to_tsvector('simple', coalesce(search_text, '')))`,
    );
  } else {
    await knex.raw(
      `CREATE VIRTUAL TABLE private_api_search USING fts5(api_key UNINDEXED, body)`,
    );
  }
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  if (knex.client.config.client === 'pg') {
    await knex.raw('DROP INDEX IF EXISTS private_api_apis_search_idx');
  } else {
    await knex.raw('DROP TABLE IF EXISTS private_api_search');
  }
  await knex.schema.dropTable('private_api_index_state');
  await knex.schema.dropTable('private_api_callers');
  await knex.schema.alterTable('private_api_apis', table => {
    table.dropIndex(['name', 'api_key'], 'private_api_apis_name_idx');
    table.dropIndex(
      ['region', 'endpoint_type', 'name', 'api_key'],
      'private_api_apis_region_idx',
    );
  });
  await dropColumns(knex, 'private_api_apis', [
    'callers_hash',
    'caller_access',
    'cross_account',
    'has_policy',
    'tags',
    'search_text',
  ]);
};
