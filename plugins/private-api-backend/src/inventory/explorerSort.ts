/**
 * The explorer's sort orders and their keyset cursors. Each sort is a list of SQL
 * expressions, then the API's key: the same expressions as the indexes of migration
 * 20261126_h40_explorer_sorts, so that a page in either direction is a range of one index.
 * A cursor carries the sort it was made for and the last row's values, base64url-encoded;
 * it is opaque to clients and checked when it comes back.
 */
import { InputError } from '@backstage/errors';
import {
  API_LIST_SORTS as API_SORTS,
  ApiListSort as ApiSort,
} from '@private-api-catalog/plugin-private-api-common';

export type { ApiSort };
export type SortOrder = 'asc' | 'desc';

interface SortColumn {
  /** An expression over `a` (private_api_apis). */
  sql: string;
  type: 'string' | 'number';
}

const NAME: SortColumn = { sql: 'a.name', type: 'string' };

/**
 * "Any endpoint" above every count, a count above none, none above unknown, APIs the
 * reverse index does not cover (public ones) last: as the allowed-callers column reads.
 */
const CALLERS_RANK = `(case a.caller_access when 'any' then 1000000000 when 'listed' then 1 + coalesce(a.allowed_vpc_count, 0) when 'none' then 0 when 'unknown' then -1 else -2 end)`;

/** A cost not computed yet sorts below every figure (and a free API). */
const COST = '(coalesce(a.monthly_cost_usd, -1))';

export const SORT_COLUMNS: Record<ApiSort, SortColumn[]> = {
  name: [NAME],
  account: [
    { sql: 'a.account_id', type: 'string' },
    { sql: 'a.region', type: 'string' },
    NAME,
  ],
  region: [{ sql: 'a.region', type: 'string' }, NAME],
  type: [
    { sql: 'a.api_type', type: 'string' },
    { sql: 'a.endpoint_type', type: 'string' },
    NAME,
  ],
  owner: [{ sql: 'a.owner_ref', type: 'string' }, NAME],
  allowedCallers: [{ sql: CALLERS_RANK, type: 'number' }, NAME],
  monthlyCost: [{ sql: COST, type: 'number' }, NAME],
};

/** The position after a row: its sort values, then its key. */
export interface SortPosition {
  values: Array<string | number>;
  key: string;
}

export function encodeSortCursor(
  sort: ApiSort,
  order: SortOrder,
  position: SortPosition,
): string {
  return Buffer.from(
    JSON.stringify({ s: sort, o: order, v: position.values, k: position.key }),
  ).toString('base64url');
}

const MALFORMED =
  'Invalid after: pass the nextCursor of the previous page as it was returned';

/**
 * The position a cursor names, checked against the sort it is used with: a malformed
 * cursor, or one of another sort or order, is a 400 that says what to do.
 */
export function decodeSortCursor(
  cursor: string,
  sort: ApiSort,
  order: SortOrder,
): SortPosition {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString());
  } catch {
    throw new InputError(MALFORMED);
  }
  // Cursors of the name order from before sorts existed: [name, key].
  if (
    Array.isArray(value) &&
    value.length === 2 &&
    value.every(v => typeof v === 'string')
  ) {
    if (sort !== 'name' || order !== 'asc') throw mismatch('name', 'asc');
    return { values: [value[0]], key: value[1] };
  }
  if (typeof value !== 'object' || value === null) {
    throw new InputError(MALFORMED);
  }
  const { s, o, v, k } = value as Record<string, unknown>;
  if (
    !API_SORTS.includes(s as ApiSort) ||
    (o !== 'asc' && o !== 'desc') ||
    typeof k !== 'string' ||
    !Array.isArray(v)
  ) {
    throw new InputError(MALFORMED);
  }
  if (s !== sort || o !== order) throw mismatch(s as ApiSort, o);
  const columns = SORT_COLUMNS[sort];
  if (
    v.length !== columns.length ||
    v.some((x, i) => typeof x !== columns[i].type)
  ) {
    throw new InputError(MALFORMED);
  }
  return { values: v as Array<string | number>, key: k };
}

function mismatch(sort: ApiSort, order: SortOrder): InputError {
  return new InputError(
    `Invalid after: this cursor continues the list sorted by ${sort} (${order}); to sort otherwise, ask for the first page of that sort (without after)`,
  );
}
