/**
 * Drops columns with `ALTER TABLE … DROP COLUMN` (SQLite 3.35 and later, PostgreSQL), not
 * knex's `dropColumn`: on SQLite that copies the table into a new one and drops the old, and
 * with foreign keys on, dropping the old deletes every child row with it (ON DELETE CASCADE):
 * each API's stages, routes, integrations and traffic, each request's events. Drop the
 * indexes on the columns first: SQLite refuses to drop an indexed column.
 *
 * (In `lib/`, so that knex does not take it for a migration.)
 */
exports.dropColumns = async function dropColumns(knex, table, columns) {
  for (const column of columns) {
    await knex.raw('alter table ?? drop column ??', [table, column]);
  }
};
