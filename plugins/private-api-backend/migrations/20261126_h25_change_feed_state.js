/*
 * The change feed's state, shared by replicas and kept across restarts: per account and
 * Region, how far its CloudTrail event history has been read (and which replica is reading
 * it now), and the CloudTrail events already acted on, so that neither a restart nor a
 * second replica re-crawls for an event twice or skips one.
 */

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('private_api_change_feed_cursors', table => {
    table.comment(
      'Per account and Region: the CloudTrail event history read up to polled_until',
    );
    table.string('account_id', 12).notNullable();
    table.string('region', 32).notNullable();
    table
      .bigInteger('polled_until')
      .comment(
        'EndTime (epoch ms) of the last poll whose events were all handled',
      );
    table
      .string('lease_holder')
      .comment('The change feed instance polling this scope now');
    table
      .bigInteger('lease_expires_at')
      .comment('Epoch ms; an expired lease is free (its holder crashed)');
    table.primary(['account_id', 'region']);
  });
  await knex.schema.createTable('private_api_change_feed_events', table => {
    table.comment(
      'CloudTrail events whose change is in the inventory (from LookupEvents or the queue)',
    );
    table.string('event_id', 128).primary().notNullable();
    table.string('account_id', 12).notNullable();
    table.string('region', 32).notNullable();
    table.bigInteger('handled_at').notNullable().comment('Epoch ms');
    table.index(['handled_at'], 'private_api_change_feed_events_age_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('private_api_change_feed_events');
  await knex.schema.dropTable('private_api_change_feed_cursors');
};
