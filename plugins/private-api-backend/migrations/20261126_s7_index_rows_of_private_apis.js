/*
 * The reverse index holds rows only for private REST APIs of the inventory.
 *
 * A `reachableFrom` page read the API's row beside each reverse-index row naming the caller,
 * to drop rows of APIs that were gone or no longer private (they stayed until the next index
 * pass pruned them). Planning those joins was about half of the page statement's planning on
 * PostgreSQL. The store now deletes an API's rows with the API, when its type changes, and
 * when an index pass writes rows for an API that changed meanwhile, so the page reads the
 * reverse index alone unless a filter needs the API's columns.
 *
 * This deletes the rows that the earlier code left.
 */

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex('private_api_callers')
    .where({ target_kind: 'api' })
    .whereNotExists(
      knex('private_api_apis as n')
        .select(knex.raw('1'))
        .whereRaw('n.api_key = private_api_callers.target_key')
        .where({ 'n.api_type': 'REST', 'n.endpoint_type': 'PRIVATE' }),
    )
    .delete();
};

/** @param {import('knex').Knex} _knex */
exports.down = async function down(_knex) {
  // Nothing to restore: the deleted rows answered for APIs that were gone or not private.
};
