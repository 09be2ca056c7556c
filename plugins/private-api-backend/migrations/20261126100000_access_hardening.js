/*
 * Access requests you can trust with production policies:
 * - `kind` (grant or revoke);
 * - `open_key`: set while a request is open, NULL once it is final, under a unique index, so
 *   the database (not a check before the insert) keeps one open request per API and caller;
 * - the apply lease (`lease_holder`, `lease_expires_at`) that recovery settles when it expires;
 * - per-stage deployment results, the needs-attention explanation and the last verification;
 * - `private_api_api_locks`: one row per API being changed, the per-API lock that serializes
 *   every policy write across backend replicas;
 * - an index for cursor paging (newest first).
 */

const OPEN_STATES = [
  'pending',
  'approved',
  'applying',
  'applied',
  'failed',
  'needs-attention',
];

/** @param {import('knex').Knex} knex */
const { dropColumns } = require('./lib/dropColumns');

exports.up = async function up(knex) {
  await knex.schema.alterTable('private_api_access_requests', table => {
    table.string('kind', 8).notNullable().defaultTo('grant');
    table
      .string('open_key')
      .comment(
        'account/region/api/caller while the request is open, NULL when final: unique',
      );
    table.string('lease_holder');
    table.timestamp('lease_expires_at', { useTz: true });
    table.text('attention_message');
    table.text('deployments').comment('JSON StageDeploymentResult[]');
    table.text('verification').comment('JSON AccessRequestVerification');
  });

  // Requests made before the constraint: the oldest open one per API and caller keeps the key.
  const open = await knex('private_api_access_requests')
    .whereIn('state', OPEN_STATES)
    .orderBy('created_at', 'asc')
    .select(
      'id',
      'account_id',
      'region',
      'api_id',
      'vpc_id',
      'vpc_endpoint_id',
    );
  const taken = new Set();
  for (const row of open) {
    const key = [
      row.account_id,
      row.region,
      row.api_id,
      row.vpc_endpoint_id ?? row.vpc_id,
    ].join('/');
    if (taken.has(key)) continue;
    taken.add(key);
    await knex('private_api_access_requests')
      .where({ id: row.id })
      .update({ open_key: key });
  }

  await knex.schema.alterTable('private_api_access_requests', table => {
    table.unique(['open_key'], {
      indexName: 'private_api_access_requests_open_key_uq',
    });
    table.index(['created_at', 'id'], 'private_api_access_requests_page_idx');
    table.index(['entity_ref'], 'private_api_access_requests_entity_ref_idx');
    table.index(['lease_expires_at'], 'private_api_access_requests_lease_idx');
  });

  await knex.schema.createTable('private_api_api_locks', table => {
    table.comment(
      'The per-API lock: whoever holds an unexpired row may change that API in AWS',
    );
    table.string('api_key').primary().notNullable();
    table.string('holder');
    table.timestamp('expires_at', { useTz: true });
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('private_api_api_locks');
  await knex.schema.alterTable('private_api_access_requests', table => {
    table.dropIndex([], 'private_api_access_requests_lease_idx');
    table.dropIndex([], 'private_api_access_requests_entity_ref_idx');
    table.dropIndex([], 'private_api_access_requests_page_idx');
    table.dropUnique([], 'private_api_access_requests_open_key_uq');
  });
  await dropColumns(knex, 'private_api_access_requests', [
    'verification',
    'deployments',
    'attention_message',
    'lease_expires_at',
    'lease_holder',
    'open_key',
    'kind',
  ]);
};
