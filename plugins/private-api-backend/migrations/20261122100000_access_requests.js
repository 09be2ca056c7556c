/*
 * Self-service VPC access requests and their audit trail.
 */

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('private_api_access_requests', table => {
    table.comment(
      'Requests for a VPC or VPC endpoint to be allowed to call a private API',
    );
    table.string('id').primary().notNullable();
    table.string('entity_ref').notNullable();
    table.string('account_id', 12).notNullable();
    table.string('region', 32).notNullable();
    table.string('api_id').notNullable();
    table.string('api_name').notNullable();
    table
      .text('stages')
      .notNullable()
      .comment('JSON list; empty means every stage');
    table.string('vpc_id');
    table.string('vpc_endpoint_id');
    table.boolean('associate_endpoint').notNullable().defaultTo(false);
    table.text('justification').notNullable();
    table.string('requester').notNullable();
    table
      .text('owners')
      .notNullable()
      .comment('JSON list of owner entity refs');
    table.string('state', 16).notNullable();
    table.string('apply_mode', 16).notNullable();
    table
      .text('proposed_change')
      .comment('JSON ProposedChange, set on approval');
    table.string('failure_code');
    table.text('failure_message');
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.index(
      ['account_id', 'region', 'api_id'],
      'private_api_access_requests_api_idx',
    );
    table.index(['requester'], 'private_api_access_requests_requester_idx');
    table.index(['state'], 'private_api_access_requests_state_idx');
  });

  await knex.schema.createTable('private_api_access_request_events', table => {
    table.comment(
      'Every transition of an access request: who, when, what, the policy before and after',
    );
    table.increments('id');
    table
      .string('request_id')
      .notNullable()
      .references('id')
      .inTable('private_api_access_requests')
      .onDelete('CASCADE');
    table.timestamp('at', { useTz: true }).notNullable();
    table.string('actor').notNullable();
    table.string('action', 32).notNullable();
    table.string('from_state', 16);
    table.string('to_state', 16).notNullable();
    table.text('message');
    table.text('policy_before');
    table.text('policy_after');
    table.index(
      ['request_id'],
      'private_api_access_request_events_request_idx',
    );
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('private_api_access_request_events');
  await knex.schema.dropTable('private_api_access_requests');
};
