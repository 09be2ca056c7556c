/*
 * The explorer sorts on the server and pages by keyset in every sort order (see
 * src/inventory/explorerList.ts): one index per sort, each ending in the name and the key so
 * that a page is a range of it in either direction. The sort values that may be missing
 * (the monthly cost before the crawl has priced an API) are indexed as the same expressions
 * the list sorts by, so missing ones sort below every figure on both databases.
 *
 * And the owner the catalog gives each API (`owner_ref`, the owner tag or the configured
 * default as a full entity ref), written by discovery with the API, so the explorer filters
 * and sorts by the owner the entity page shows. Rows stored before this version get the
 * owner their tag names here; untagged ones get theirs (the configured default) from the
 * next crawl, which the migration cannot know.
 */

/** Mirrors `ownerEntityRef` in src/inventory/owner.ts for the backfill. */
function ownerEntityRef(owner) {
  const {
    parseEntityRef,
    stringifyEntityRef,
  } = require('@backstage/catalog-model');
  try {
    return stringifyEntityRef(
      parseEntityRef(owner, {
        defaultKind: 'Group',
        defaultNamespace: 'default',
      }),
    );
  } catch {
    return owner;
  }
}

/** index name → the columns and expressions it sorts by, then name and key. */
const SORT_INDEXES = {
  private_api_apis_sort_account_idx: ['account_id', 'region'],
  private_api_apis_sort_region_idx: ['region'],
  private_api_apis_sort_type_idx: ['api_type', 'endpoint_type'],
  private_api_apis_sort_owner_idx: ['owner_ref'],
  private_api_apis_sort_callers_idx: [
    `(case caller_access when 'any' then 1000000000 when 'listed' then 1 + coalesce(allowed_vpc_count, 0) when 'none' then 0 when 'unknown' then -1 else -2 end)`,
  ],
  private_api_apis_sort_cost_idx: ['(coalesce(monthly_cost_usd, -1))'],
};

/**
 * The count and cost total of the matches (`totals=true`) read every match's cost: from the
 * wide rows, that is a walk of their stored JSON documents (400 ms at 10,000 APIs on
 * SQLite). This index holds the columns of the list's filters and the cost, so the totals
 * are a scan (or, by account, a range) of it alone.
 */
const TOTALS_INDEX = {
  name: 'private_api_apis_totals_idx',
  columns: [
    'account_id',
    'region',
    'api_type',
    'endpoint_type',
    'owner_ref',
    'has_policy',
    'caller_access',
    'cross_account',
    'authorization_types',
    'monthly_cost_usd',
    'api_key',
  ],
};

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.alterTable('private_api_apis', table => {
    table
      .string('owner_ref')
      .notNullable()
      .defaultTo('')
      .comment(
        'The owner the catalog entity gets, as an entity ref (owner tag, else the default)',
      );
  });
  const tags = await knex('private_api_apis')
    .distinct('owner_tag')
    .whereNotNull('owner_tag');
  for (const { owner_tag: tag } of tags) {
    if (!tag.trim()) continue;
    await knex('private_api_apis')
      .where('owner_tag', tag)
      .update({ owner_ref: ownerEntityRef(tag.trim()) });
  }
  for (const [name, columns] of Object.entries(SORT_INDEXES)) {
    await knex.raw(
      `create index ${name} on private_api_apis (${[
        ...columns,
        'name',
        'api_key',
      ].join(', ')})`,
    );
  }
  await knex.raw(
    `create index ${
      TOTALS_INDEX.name
    } on private_api_apis (${TOTALS_INDEX.columns.join(', ')})`,
  );
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.raw(`drop index ${TOTALS_INDEX.name}`);
  for (const name of Object.keys(SORT_INDEXES)) {
    await knex.raw(`drop index ${name}`);
  }
  // ALTER TABLE … DROP COLUMN, not knex's dropColumn: on SQLite that copies the table and
  // drops the old one, whose ON DELETE CASCADE would delete every API's children.
  await knex.raw('alter table private_api_apis drop column owner_ref');
};
