/*
 * The owners of each access request, one row per owner entity ref, so that a permission
 * policy's "is an owner of the API" condition becomes an indexed query (the JSON list in
 * `owners` stays as the request's record).
 */

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('private_api_access_request_owners', table => {
    table.comment(
      'Owner entity refs of access requests, for permission queries',
    );
    table
      .string('request_id')
      .notNullable()
      .references('id')
      .inTable('private_api_access_requests')
      .onDelete('CASCADE');
    table.string('owner').notNullable();
    table.primary(['request_id', 'owner']);
    table.index(['owner'], 'private_api_access_request_owners_owner_idx');
  });
  const rows = await knex('private_api_access_requests').select('id', 'owners');
  for (const row of rows) {
    const owners = [...new Set(JSON.parse(row.owners || '[]'))];
    if (owners.length) {
      await knex('private_api_access_request_owners').insert(
        owners.map(owner => ({ request_id: row.id, owner })),
      );
    }
  }
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('private_api_access_request_owners');
};
