/*
 * Change markers for the catalog module: a crawl that changed nothing must not make the
 * catalog rewrite anything, and one that changed k APIs must touch only those k entities.
 *
 * Each API keeps hashes of the parts a crawl writes (top-level record, stages, details,
 * exported definition). A write whose hashes differ marks the API `change_pending`; when
 * the scope's crawl completes, pending APIs get the scope's new generation in
 * `changed_generation`, and the generation only moves when something changed. Removed
 * APIs (and the old entity name of a renamed one) leave a tombstone with the generation
 * that removed them.
 */

/** @param {import('knex').Knex} knex */
const { dropColumns } = require('./lib/dropColumns');

exports.up = async function up(knex) {
  await knex.schema.alterTable('private_api_apis', table => {
    table.string('record_hash', 64);
    table.string('stages_hash', 64);
    table.string('details_hash', 64);
    table.string('definition_hash', 64);
    table
      .boolean('change_pending')
      .notNullable()
      .defaultTo(true)
      .comment('Changed by a crawl whose scope has not completed yet');
    table
      .bigInteger('changed_generation')
      .notNullable()
      .defaultTo(0)
      .comment('Scope generation of the last completed crawl that changed it');
    table.index(
      ['account_id', 'region', 'changed_generation'],
      'private_api_apis_changes_idx',
    );
  });

  await knex.schema.alterTable('private_api_scopes', table => {
    table
      .string('endpoints_hash', 64)
      .comment('Hash of the execute-api VPC endpoints last stored');
    table.boolean('endpoints_change_pending').notNullable().defaultTo(false);
  });

  await knex.schema.createTable('private_api_removed_apis', table => {
    table.comment(
      'Tombstones of APIs removed from the inventory, for the catalog module',
    );
    table.string('account_id', 12).notNullable();
    table.string('region', 32).notNullable();
    table.string('entity_name').notNullable();
    table
      .bigInteger('generation')
      .comment('Generation that removed it; null until its crawl completes');
    table.timestamp('removed_at', { useTz: true }).notNullable();
    table.primary(['account_id', 'region', 'entity_name']);
    table.index(['account_id', 'region', 'generation']);
  });

  // "Start discovery now": shard tasks crawl every account last started before this time,
  // whichever replica runs them.
  await knex.schema.createTable('private_api_discovery_requests', table => {
    table.comment('Discovery runs asked for by users, shared by replicas');
    table.string('id').primary().notNullable();
    table.timestamp('requested_at', { useTz: true }).notNullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('private_api_discovery_requests');
  await knex.schema.dropTable('private_api_removed_apis');
  await dropColumns(knex, 'private_api_scopes', [
    'endpoints_change_pending',
    'endpoints_hash',
  ]);
  await knex.schema.alterTable('private_api_apis', table => {
    table.dropIndex(
      ['account_id', 'region', 'changed_generation'],
      'private_api_apis_changes_idx',
    );
  });
  await dropColumns(knex, 'private_api_apis', [
    'changed_generation',
    'change_pending',
    'definition_hash',
    'details_hash',
    'stages_hash',
    'record_hash',
  ]);
};
