import type { PermissionCriteria } from '@backstage/plugin-permission-common';
import type {
  AccessRequestKind,
  AccessRequestState,
} from '@private-api-catalog/plugin-private-api-common';
import { Knex } from 'knex';
import type { AccessRequestFilter } from './permissions';

export const REQUESTS = 'private_api_access_requests';
/** Requester and owners of each request, with its state and creation time (see the migration). */
export const PRINCIPALS = 'private_api_access_request_principals';

/** The relation of a principal to a request, as stored in PRINCIPALS. */
export type Relation = 'requester' | 'owner';

const RELATION_OF_FIELD: Record<AccessRequestFilter['field'], Relation> = {
  requester: 'requester',
  owners: 'owner',
};

/** Filters of the list, all optional. */
export interface AccessRequestListFilter {
  accountId?: string;
  region?: string;
  apiId?: string;
  entityRef?: string;
  states?: AccessRequestState[];
  kind?: AccessRequestKind;
  requester?: string;
}

/** A position in the list (newest first): rows strictly after it. */
export interface PagePosition {
  createdAt: Date;
  id: string;
}

/**
 * Above this many (principal, relation, state) reads, a page reads per (principal,
 * relation) and filters the state by join; above it again, by the general plan.
 */
const MAX_BRANCHES = 64;

interface Principal {
  relation: Relation;
  principal: string;
}

/**
 * Principals of which every request the criteria allow has at least one, or undefined when
 * the criteria do not say (a `not`). A leaf names its principals; anyOf needs one of its
 * branches' (so all must say); allOf needs each of its children's, so the smallest will do.
 */
export function necessaryPrincipals(
  criteria: PermissionCriteria<AccessRequestFilter>,
): Principal[] | undefined {
  if ('field' in criteria) {
    return criteria.anyOf.map(principal => ({
      relation: RELATION_OF_FIELD[criteria.field],
      principal,
    }));
  }
  if ('anyOf' in criteria) {
    const parts = criteria.anyOf.map(necessaryPrincipals);
    if (parts.some(p => p === undefined)) return undefined;
    const unique = new Map<string, Principal>();
    for (const p of parts.flat() as Principal[]) {
      unique.set(`${p.relation}\n${p.principal}`, p);
    }
    return [...unique.values()];
  }
  if ('allOf' in criteria) {
    return smallest(criteria.allOf.map(necessaryPrincipals));
  }
  return undefined;
}

/**
 * The criteria for the rows of one principal: its leaves that hold for every such row
 * (the relation is the leaf's, and the principal one of the leaf's) are true, and what
 * follows from that is folded, so that a branch checks only what its index did not say.
 */
export function foldFor(
  criteria: PermissionCriteria<AccessRequestFilter>,
  known: Principal,
): PermissionCriteria<AccessRequestFilter> | boolean {
  if ('field' in criteria) {
    return RELATION_OF_FIELD[criteria.field] === known.relation &&
      criteria.anyOf.includes(known.principal)
      ? true
      : criteria;
  }
  if ('anyOf' in criteria) {
    const rest: PermissionCriteria<AccessRequestFilter>[] = [];
    for (const child of criteria.anyOf.map(c => foldFor(c, known))) {
      if (child === true) return true;
      if (child !== false) rest.push(child);
    }
    if (rest.length === 0) return false;
    const [first, ...others] = rest;
    return others.length ? { anyOf: [first, ...others] } : first;
  }
  if ('allOf' in criteria) {
    const rest: PermissionCriteria<AccessRequestFilter>[] = [];
    for (const child of criteria.allOf.map(c => foldFor(c, known))) {
      if (child === false) return false;
      if (child !== true) rest.push(child);
    }
    if (rest.length === 0) return true;
    const [first, ...others] = rest;
    return others.length ? { allOf: [first, ...others] } : first;
  }
  const inner = foldFor(criteria.not, known);
  return typeof inner === 'boolean' ? !inner : { not: inner };
}

function smallest(parts: Array<Principal[] | undefined>) {
  return parts
    .filter((p): p is Principal[] => p !== undefined)
    .sort((a, b) => a.length - b.length)[0];
}

/** The request table's filters, on alias `r`. */
function applyFilter(
  query: Knex.QueryBuilder,
  filter: AccessRequestListFilter,
) {
  if (filter.accountId) query.where('r.account_id', filter.accountId);
  if (filter.region) query.where('r.region', filter.region);
  if (filter.apiId) query.where('r.api_id', filter.apiId);
  if (filter.entityRef) query.where('r.entity_ref', filter.entityRef);
  if (filter.states) query.whereIn('r.state', filter.states);
  if (filter.kind) query.where('r.kind', filter.kind);
  if (filter.requester) query.where('r.requester', filter.requester);
}

/**
 * The where clauses of access-request queries (alias `r` for the request table), and the
 * page query: newest first, filtered, and limited to what the permission criteria allow.
 */
export class AccessRequestQueries {
  constructor(private readonly db: Knex) {}

  /** Every request that matches the filter, newest first (unpaged). */
  list(filter: AccessRequestListFilter) {
    const query = this.db(`${REQUESTS} as r`)
      .select('r.*')
      .orderBy([
        { column: 'r.created_at', order: 'desc' },
        { column: 'r.id', order: 'desc' },
      ]);
    applyFilter(query, filter);
    return query;
  }

  /**
   * One page: `limit` rows after `after`, and one more to tell whether there is a next page.
   *
   * How it reads (the criteria are applied in full either way; the plan only picks the
   * rows to look at):
   * - a filter on one requester or one API reads that requester's or API's rows from the
   *   (column, created_at, id) indexes, newest first, and checks the criteria on each;
   * - otherwise, when the criteria need one of a few principals (the recommended policy
   *   needs the user's ownership refs as requester or owner), it reads the newest `limit + 1`
   *   rows of each (principal, relation[, state]) from the principals index, after the
   *   cursor, and merges them: about one page of index rows per principal, however many
   *   requests are stored;
   * - else the newest rows of the whole table (or of the states asked for).
   */
  page(options: {
    filter: AccessRequestListFilter;
    criteria: PermissionCriteria<AccessRequestFilter>[];
    limit: number;
    after?: PagePosition;
  }): Knex.QueryBuilder {
    const { filter, criteria, limit, after } = options;
    const narrowFilter = Boolean(
      filter.requester || filter.entityRef || filter.apiId,
    );
    const principals = narrowFilter
      ? undefined
      : smallest(criteria.map(necessaryPrincipals));
    if (!principals || principals.length > MAX_BRANCHES) {
      return this.scan(options);
    }

    const states =
      filter.states &&
      filter.states.length > 0 &&
      principals.length * filter.states.length <= MAX_BRANCHES
        ? filter.states
        : [undefined];
    // The state filter, when it is a branch key, is read from the principals row.
    const rowFilter = states[0] ? { ...filter, states: undefined } : filter;
    const needsRequest = Object.values(rowFilter).some(v => v !== undefined);
    const branches = principals.flatMap(known => {
      const residual = criteria.map(c => foldFor(c, known));
      if (residual.includes(false)) return [];
      const checks = residual.filter(
        (c): c is PermissionCriteria<AccessRequestFilter> => c !== true,
      );
      return states.map(state => {
        const branch = this.db(`${PRINCIPALS} as v`)
          .select('v.request_id', 'v.created_at')
          .where({
            'v.principal': known.principal,
            'v.relation': known.relation,
          })
          .orderBy([
            { column: 'v.created_at', order: 'desc' },
            { column: 'v.request_id', order: 'desc' },
          ])
          .limit(limit + 1);
        if (state) branch.where('v.state', state);
        if (after) {
          branch.whereRaw('(v.created_at, v.request_id) < (?, ?)', [
            after.createdAt,
            after.id,
          ]);
        }
        // Only what the principals row does not answer needs the request row.
        if (needsRequest || checks.length > 0) {
          branch.join(`${REQUESTS} as r`, 'r.id', 'v.request_id');
          this.restrict(branch, rowFilter, checks);
        }
        return branch;
      });
    });
    if (branches.length === 0) {
      // No principal the criteria name can see anything: nothing is allowed.
      return this.db(`${REQUESTS} as r`).select('r.*').whereRaw('1 = 0');
    }
    const [first, ...rest] = branches.map((b, i) =>
      this.db.select('request_id', 'created_at').from(b.as(`b${i}`)),
    );
    // UNION drops a request reached twice (as requester and as owner, say).
    const merged = rest.length ? first.union(rest) : first;
    const ids = this.db
      .select('request_id', 'created_at')
      .from(merged.as('u'))
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'request_id', order: 'desc' },
      ])
      .limit(limit + 1);
    return this.db(`${REQUESTS} as r`)
      .join(ids.as('p'), 'p.request_id', 'r.id')
      .select('r.*')
      .orderBy([
        { column: 'r.created_at', order: 'desc' },
        { column: 'r.id', order: 'desc' },
      ]);
  }

  /** The general plan: the request table in page order, filtered. */
  private scan(options: {
    filter: AccessRequestListFilter;
    criteria: PermissionCriteria<AccessRequestFilter>[];
    limit: number;
    after?: PagePosition;
  }) {
    const query = this.db(`${REQUESTS} as r`)
      .select('r.*')
      .orderBy([
        { column: 'r.created_at', order: 'desc' },
        { column: 'r.id', order: 'desc' },
      ])
      .limit(options.limit + 1);
    if (options.after) {
      query.whereRaw('(r.created_at, r.id) < (?, ?)', [
        options.after.createdAt,
        options.after.id,
      ]);
    }
    this.restrict(query, options.filter, options.criteria);
    return query;
  }

  private restrict(
    query: Knex.QueryBuilder,
    filter: AccessRequestListFilter,
    criteria: PermissionCriteria<AccessRequestFilter>[],
  ) {
    applyFilter(query, filter);
    for (const c of criteria) {
      query.where(q => this.applyCriteria(q, c));
    }
  }

  /** A permission criteria tree as a where clause on `r`. */
  private applyCriteria(
    query: Knex.QueryBuilder,
    criteria: PermissionCriteria<AccessRequestFilter>,
  ): void {
    // A filter has a field (and an anyOf list of values): test for it first.
    if ('field' in criteria) {
      if (criteria.field === 'requester') {
        query.whereIn('r.requester', criteria.anyOf);
      } else {
        query.whereExists(
          this.db(`${PRINCIPALS} as o`)
            .select(this.db.raw('1'))
            .whereRaw('?? = ??', ['o.request_id', 'r.id'])
            .where('o.relation', 'owner')
            .whereIn('o.principal', criteria.anyOf),
        );
      }
    } else if ('allOf' in criteria) {
      for (const c of criteria.allOf) {
        query.where(q => this.applyCriteria(q, c));
      }
    } else if ('anyOf' in criteria) {
      if (criteria.anyOf.length === 0) {
        // None of nothing: no request.
        query.whereRaw('1 = 0');
        return;
      }
      query.where(q => {
        for (const c of criteria.anyOf) {
          q.orWhere(q2 => this.applyCriteria(q2, c));
        }
      });
    } else {
      query.whereNot(q => this.applyCriteria(q, criteria.not));
    }
  }
}
