/*
 * A list of access requests that scales: who may see each request, keyed the way the list
 * reads it.
 *
 * `private_api_access_request_principals` has one row per request and principal the
 * permission rules name: the requester (relation `requester`) and each owner (relation
 * `owner`), with copies of the request's state and creation time. The list reads, for each
 * of the user's ownership refs, the newest rows of (principal, relation[, state]) from an
 * index in the page's order, so a page costs about one page of index rows per ref, whatever
 * the number of stored requests. The store writes these rows in the same transaction as
 * the request (create, every transition, owners resolved anew). It replaces
 * `private_api_access_request_owners`.
 *
 * The single-column indexes of the request table become (column, created_at, id), so that
 * a filter by requester, API, entity or state reads its rows in the page's order too.
 */

const REQUESTS = 'private_api_access_requests';
const PRINCIPALS = 'private_api_access_request_principals';
const OWNERS = 'private_api_access_request_owners';

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable(PRINCIPALS, table => {
    table.comment(
      'Requester and owners of each access request, for the permission-filtered list',
    );
    table
      .string('request_id')
      .notNullable()
      .references('id')
      .inTable(REQUESTS)
      .onDelete('CASCADE');
    table.string('relation', 16).notNullable().comment('requester or owner');
    table
      .string('principal')
      .notNullable()
      .comment('a user or group entity ref');
    table
      .string('state', 16)
      .notNullable()
      .comment('copy of the request state');
    table
      .timestamp('created_at', { useTz: true })
      .notNullable()
      .comment('copy of the request creation time');
    table.primary(['request_id', 'relation', 'principal']);
    table.index(
      ['principal', 'relation', 'created_at', 'request_id'],
      'private_api_access_request_principals_page_idx',
    );
    table.index(
      ['principal', 'relation', 'state', 'created_at', 'request_id'],
      'private_api_access_request_principals_state_idx',
    );
  });
  await knex
    .insert(
      knex(REQUESTS).select(
        'id',
        knex.raw('?', ['requester']),
        'requester',
        'state',
        'created_at',
      ),
    )
    .into(
      knex.raw('?? (??, ??, ??, ??, ??)', [
        PRINCIPALS,
        'request_id',
        'relation',
        'principal',
        'state',
        'created_at',
      ]),
    );
  await knex
    .insert(
      knex(`${OWNERS} as o`)
        .join(`${REQUESTS} as r`, 'r.id', 'o.request_id')
        .select(
          'o.request_id',
          knex.raw('?', ['owner']),
          'o.owner',
          'r.state',
          'r.created_at',
        ),
    )
    .into(
      knex.raw('?? (??, ??, ??, ??, ??)', [
        PRINCIPALS,
        'request_id',
        'relation',
        'principal',
        'state',
        'created_at',
      ]),
    );
  await knex.schema.dropTable(OWNERS);

  await knex.schema.alterTable(REQUESTS, table => {
    table.dropIndex([], 'private_api_access_requests_requester_idx');
    table.dropIndex([], 'private_api_access_requests_state_idx');
    table.dropIndex([], 'private_api_access_requests_entity_ref_idx');
    table.dropIndex([], 'private_api_access_requests_api_idx');
  });
  await knex.schema.alterTable(REQUESTS, table => {
    table.index(
      ['requester', 'created_at', 'id'],
      'private_api_access_requests_requester_page_idx',
    );
    table.index(
      ['state', 'created_at', 'id'],
      'private_api_access_requests_state_page_idx',
    );
    table.index(
      ['entity_ref', 'created_at', 'id'],
      'private_api_access_requests_entity_page_idx',
    );
    table.index(
      ['account_id', 'region', 'api_id', 'created_at', 'id'],
      'private_api_access_requests_api_page_idx',
    );
  });

  // The open requests of one user are counted and created one at a time: a row per
  // requester that their create transaction locks first.
  await knex.schema.createTable('private_api_access_requesters', table => {
    table.comment(
      'One row per requester, locked by each create so the open-request limit holds',
    );
    table.string('requester').primary().notNullable();
    table.timestamp('last_create_at', { useTz: true });
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('private_api_access_requesters');
  await knex.schema.alterTable(REQUESTS, table => {
    table.dropIndex([], 'private_api_access_requests_api_page_idx');
    table.dropIndex([], 'private_api_access_requests_entity_page_idx');
    table.dropIndex([], 'private_api_access_requests_state_page_idx');
    table.dropIndex([], 'private_api_access_requests_requester_page_idx');
  });
  await knex.schema.alterTable(REQUESTS, table => {
    table.index(
      ['account_id', 'region', 'api_id'],
      'private_api_access_requests_api_idx',
    );
    table.index(['requester'], 'private_api_access_requests_requester_idx');
    table.index(['state'], 'private_api_access_requests_state_idx');
    table.index(['entity_ref'], 'private_api_access_requests_entity_ref_idx');
  });
  await knex.schema.createTable(OWNERS, table => {
    table.comment(
      'Owner entity refs of access requests, for permission queries',
    );
    table
      .string('request_id')
      .notNullable()
      .references('id')
      .inTable(REQUESTS)
      .onDelete('CASCADE');
    table.string('owner').notNullable();
    table.primary(['request_id', 'owner']);
    table.index(['owner'], 'private_api_access_request_owners_owner_idx');
  });
  await knex
    .insert(
      knex(PRINCIPALS)
        .where({ relation: 'owner' })
        .select('request_id', 'principal'),
    )
    .into(knex.raw('?? (??, ??)', [OWNERS, 'request_id', 'owner']));
  await knex.schema.dropTable(PRINCIPALS);
};
