/*
 * SQLite: a search's matches found by the rowids of their documents.
 *
 * A search (`GET /apis?q=…`) on SQLite matched the FTS5 table and then read each matching
 * document's `api_key` from the table's content: at 100,000 APIs a word of every twelfth
 * API (8,265 matches) took 17.6 ms for the keys alone and 40 ms for the first page with its
 * count. Each API's row already holds the rowid of its document (`search_rowid`, see
 * 20261126_h20_reachable_indexes), which the full-text match gives without reading the
 * content; this index looks the rows up by it, with the name and key a page sorts by
 * (12.5 ms for the same page).
 *
 * PostgreSQL matches its GIN index on the row itself: nothing to do there.
 */

const INDEX = {
  name: 'private_api_apis_search_rowid_idx',
  columns: ['search_rowid', 'name', 'api_key'],
};

const isPostgres = knex => knex.client.config.client === 'pg';

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  if (isPostgres(knex)) return;
  await knex.schema.alterTable('private_api_apis', table => {
    table.index(INDEX.columns, INDEX.name);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  if (isPostgres(knex)) return;
  await knex.schema.alterTable('private_api_apis', table => {
    table.dropIndex(INDEX.columns, INDEX.name);
  });
};
