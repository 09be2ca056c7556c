import { DatabaseService } from '@backstage/backend-plugin-api';
import {
  ConflictError,
  CustomErrorBase,
  InputError,
  NotFoundError,
} from '@backstage/errors';
import type { PermissionCriteria } from '@backstage/plugin-permission-common';
import {
  AccessRequest,
  AccessRequestAction,
  AccessRequestEvent,
  AccessRequestKind,
  AccessRequestState,
  AccessRequestVerification,
  ACCESS_REQUEST_TRANSITIONS,
  ApplyMode,
  OPEN_ACCESS_REQUEST_STATES,
  ProposedChange,
  StageDeploymentResult,
} from '@private-api-catalog/plugin-private-api-common';
import { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import { openDatabase } from '../database';
import { ApiLocks, LeaseTimings } from './ApiLock';
import {
  AccessRequestListFilter,
  AccessRequestQueries,
  PRINCIPALS,
  REQUESTS,
} from './pageQuery';
import type { AccessRequestFilter } from './permissions';

export type { AccessRequestListFilter } from './pageQuery';

const EVENTS = 'private_api_access_request_events';
const REQUESTERS = 'private_api_access_requesters';

/** 429: the user has as many open requests as the configuration allows. */
export class TooManyOpenRequestsError extends CustomErrorBase {
  name = 'TooManyOpenRequestsError' as const;
  statusCode = 429;

  constructor(open: number, maxOpen: number) {
    super(
      `You have ${open} open access requests, the most one user may have (privateApi.accessRequests.maxOpenPerUser = ${maxOpen}). Cancel the ones you no longer need, or wait for their owners to decide.`,
    );
  }
}

/** The key of one open request per API and caller (the endpoint, or the VPC). */
export function openKey(
  request: Pick<
    AccessRequest,
    'accountId' | 'region' | 'apiId' | 'vpcId' | 'vpcEndpointId'
  >,
) {
  return [
    request.accountId,
    request.region,
    request.apiId,
    request.vpcEndpointId ?? request.vpcId,
  ].join('/');
}

function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return (
    e?.code === '23505' ||
    e?.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    /UNIQUE constraint failed/.test(e?.message ?? '')
  );
}

/** The cursor of a page: the last item's creation time and id, newest first. */
interface Cursor {
  createdAt: string;
  id: string;
}

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

function decodeCursor(text: string): Cursor {
  try {
    const value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (
      typeof value?.createdAt === 'string' &&
      typeof value?.id === 'string' &&
      !Number.isNaN(Date.parse(value.createdAt))
    ) {
      return value;
    }
  } catch {
    // Reported below.
  }
  throw new InputError(
    'Invalid query: cursor: not a cursor of this list; pass the nextCursor of the previous page, or none for the first page',
  );
}

/** What a new request carries; the store adds id, state, dates and the trail. */
export type NewAccessRequest = Omit<
  AccessRequest,
  | 'id'
  | 'state'
  | 'createdAt'
  | 'updatedAt'
  | 'events'
  | 'proposedChange'
  | 'failure'
  | 'attention'
  | 'deployments'
  | 'leaseExpiresAt'
  | 'verification'
>;

/** A transition: who does what, with what message, policies and fields. */
export interface Transition {
  action: AccessRequestAction;
  actor: string;
  message?: string;
  policyBefore?: string;
  policyAfter?: string;
  proposedChange?: ProposedChange | null;
  failure?: { code: string; message: string } | null;
  attention?: { message: string } | null;
  deployments?: StageDeploymentResult[] | null;
  verification?: AccessRequestVerification | null;
  /** Owners as resolved now (from the catalog), replacing the recorded ones. */
  owners?: string[];
  /** Entering applying: who holds the apply's lease, and until when. */
  lease?: { holder: string; expiresAt: Date };
  /** Only if this holder holds the lease (recovery, or the applier finishing). */
  leaseHolder?: string;
}

function toIso(value: unknown): string {
  return new Date(value as string).toISOString();
}

/**
 * Access requests in the plugin's database (the inventory's migrations also create these
 * tables). Every state change goes through `transition`, which checks it against the state
 * machine and writes the audit event in the same transaction.
 */
export class AccessRequestStore {
  static async create(options: {
    database: DatabaseService;
  }): Promise<AccessRequestStore> {
    return new AccessRequestStore(await openDatabase(options.database));
  }

  private readonly queries: AccessRequestQueries;

  private constructor(private readonly db: Knex) {
    this.queries = new AccessRequestQueries(db);
  }

  /** The per-API locks, in the same database. */
  createLocks(timings?: LeaseTimings): ApiLocks {
    return new ApiLocks(this.db, timings);
  }

  /**
   * Records a new pending request. With `maxOpen`, refuses (429) when the requester already
   * has that many open requests: the requester's row is locked first, so concurrent creates
   * of one user count and insert one at a time, across replicas.
   */
  async create(
    request: NewAccessRequest,
    actor: string,
    options: { maxOpen?: number } = {},
  ): Promise<AccessRequest> {
    const id = randomUUID();
    const now = new Date();
    try {
      await this.db.transaction(async tx => {
        if (options.maxOpen !== undefined) {
          // An upsert takes the row lock (PostgreSQL) or the write lock (SQLite) until commit.
          await tx(REQUESTERS)
            .insert({ requester: request.requester, last_create_at: now })
            .onConflict('requester')
            .merge(['last_create_at']);
          const open = await this.countOpen(request.requester, tx);
          if (open >= options.maxOpen) {
            throw new TooManyOpenRequestsError(open, options.maxOpen);
          }
        }
        await tx(REQUESTS).insert({
          id,
          open_key: openKey(request),
          kind: request.kind,
          entity_ref: request.entityRef,
          account_id: request.accountId,
          region: request.region,
          api_id: request.apiId,
          api_name: request.apiName,
          stages: JSON.stringify(request.stages),
          vpc_id: request.vpcId ?? null,
          vpc_endpoint_id: request.vpcEndpointId ?? null,
          associate_endpoint: request.associateEndpoint,
          justification: request.justification,
          requester: request.requester,
          owners: JSON.stringify(request.owners),
          state: 'pending',
          apply_mode: request.applyMode,
          created_at: now,
          updated_at: now,
        });
        await tx(PRINCIPALS).insert({
          request_id: id,
          relation: 'requester',
          principal: request.requester,
          state: 'pending',
          created_at: now,
        });
        await this.writeOwners(tx, id, request.owners);
        await tx(EVENTS).insert({
          request_id: id,
          at: now,
          actor,
          action: 'create',
          to_state: 'pending',
          message: request.justification,
        });
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const open = await this.findOpenDuplicate(request);
      throw new ConflictError(
        open
          ? `An open request (${open.id}, ${open.state}) already exists for ${
              request.vpcEndpointId ?? request.vpcId
            } and ${request.apiName}: follow that one, or cancel it first`
          : `An open request already exists for ${
              request.vpcEndpointId ?? request.vpcId
            } and ${request.apiName}`,
      );
    }
    return (await this.get(id))!;
  }

  /**
   * Replaces the owner rows of the list's principals. Call it after writing the request row
   * in the same transaction: that write holds the row's lock, and the state and creation
   * time are copied from the row as it is now.
   */
  private async writeOwners(tx: Knex, id: string, owners: string[]) {
    await tx(PRINCIPALS).where({ request_id: id, relation: 'owner' }).delete();
    for (const owner of new Set(owners)) {
      await tx
        .insert(
          tx(REQUESTS)
            .where({ id })
            .select(
              'id',
              tx.raw('?', ['owner']),
              tx.raw('?', [owner]),
              'state',
              'created_at',
            ),
        )
        .into(
          tx.raw('?? (??, ??, ??, ??, ??)', [
            PRINCIPALS,
            'request_id',
            'relation',
            'principal',
            'state',
            'created_at',
          ]),
        );
    }
  }

  /** How many open requests a user has (for the per-user limit). */
  async countOpen(requester: string, db: Knex = this.db): Promise<number> {
    const [row] = await db(REQUESTS)
      .where({ requester })
      .whereIn('state', OPEN_ACCESS_REQUEST_STATES)
      .count({ n: '*' });
    return Number(row.n);
  }

  /** Applying requests whose lease expired: their process died or lost the database. */
  async listExpiredLeases(now = new Date()): Promise<AccessRequest[]> {
    const rows = await this.db(REQUESTS)
      .where({ state: 'applying' })
      .where(q =>
        q.whereNull('lease_expires_at').orWhere('lease_expires_at', '<', now),
      );
    return this.withEvents(rows);
  }

  /** Who holds an applying request's lease (recovery settles on behalf of that holder). */
  async leaseHolderOf(id: string): Promise<string | undefined> {
    const row = await this.db(REQUESTS).where({ id }).first('lease_holder');
    return row?.lease_holder ?? undefined;
  }

  /** Extends an apply's lease; false when the holder no longer holds it. */
  async renewLease(id: string, holder: string, expiresAt: Date) {
    const updated = await this.db(REQUESTS)
      .where({ id, state: 'applying', lease_holder: holder })
      .update({ lease_expires_at: expiresAt });
    return updated === 1;
  }

  async recordVerification(
    id: string,
    verification: AccessRequestVerification,
  ) {
    await this.db(REQUESTS)
      .where({ id })
      .update({ verification: JSON.stringify(verification) });
  }

  /**
   * One page of requests, newest first, filtered, and limited to those the permission
   * criteria allow (the conditional decision of the permission policy as a query).
   */
  async page(options: {
    filter: AccessRequestListFilter;
    criteria?: PermissionCriteria<AccessRequestFilter>[];
    limit: number;
    cursor?: string;
  }): Promise<{ items: AccessRequest[]; nextCursor?: string }> {
    const { filter, limit } = options;
    const cursor = options.cursor ? decodeCursor(options.cursor) : undefined;
    const rows = await this.queries.page({
      filter,
      criteria: options.criteria ?? [],
      limit,
      after: cursor && { createdAt: new Date(cursor.createdAt), id: cursor.id },
    });
    const items = await this.withEvents(rows.slice(0, limit));
    const last = items[items.length - 1];
    return {
      items,
      nextCursor:
        rows.length > limit && last
          ? encodeCursor({ createdAt: last.createdAt, id: last.id })
          : undefined,
    };
  }

  async get(id: string): Promise<AccessRequest | undefined> {
    const row = await this.db(REQUESTS).where({ id }).first();
    if (!row) return undefined;
    const [request] = await this.withEvents([row]);
    return request;
  }

  async getOrThrow(id: string): Promise<AccessRequest> {
    const request = await this.get(id);
    if (!request) throw new NotFoundError(`No access request ${id}`);
    return request;
  }

  /** Every request that matches (for discovery's verification of a scope; unpaged). */
  async list(filter: AccessRequestListFilter = {}): Promise<AccessRequest[]> {
    return this.withEvents(await this.queries.list(filter));
  }

  /** An open request for the same API and caller (the same endpoint, or the same VPC), if any. */
  async findOpenDuplicate(
    request: Pick<
      AccessRequest,
      'accountId' | 'region' | 'apiId' | 'vpcId' | 'vpcEndpointId'
    >,
  ) {
    return (await this.db(REQUESTS)
      .where({ open_key: openKey(request) })
      .first('id', 'state')) as
      | { id: string; state: AccessRequestState }
      | undefined;
  }

  /**
   * Moves a request along the state machine, atomically: the state it leaves must still be
   * the current one (two approvers, or two appliers, cannot both win). Illegal → 409.
   */
  async transition(id: string, transition: Transition): Promise<AccessRequest> {
    const rule = ACCESS_REQUEST_TRANSITIONS[transition.action];
    const now = new Date();
    await this.db.transaction(async tx => {
      const row = await tx(REQUESTS)
        .where({ id })
        .first(
          'state',
          'lease_holder',
          'account_id',
          'region',
          'api_id',
          'vpc_id',
          'vpc_endpoint_id',
        );
      if (!row) throw new NotFoundError(`No access request ${id}`);
      const from = row.state as AccessRequestState;
      if (!rule.from.includes(from)) {
        throw new ConflictError(
          `Access request ${id} is ${from}: it cannot be ${describeAction(
            transition.action,
          )} (only from ${rule.from.join(' or ') || 'nothing'})`,
        );
      }
      const stillOpen = OPEN_ACCESS_REQUEST_STATES.includes(rule.to);
      const where: Record<string, unknown> = { id, state: from };
      if (transition.leaseHolder !== undefined) {
        where.lease_holder = transition.leaseHolder;
      }
      const json = (value: unknown) =>
        value === null ? null : JSON.stringify(value);
      const updated = await tx(REQUESTS)
        .where(where)
        .update({
          state: rule.to,
          updated_at: now,
          // Final requests free the API and caller for a new request.
          ...(stillOpen ? {} : { open_key: null }),
          // Only applying carries a lease.
          lease_holder: transition.lease?.holder ?? null,
          lease_expires_at: transition.lease?.expiresAt ?? null,
          ...(transition.proposedChange !== undefined
            ? { proposed_change: json(transition.proposedChange) }
            : {}),
          ...(transition.failure !== undefined
            ? {
                failure_code: transition.failure?.code ?? null,
                failure_message: transition.failure?.message ?? null,
              }
            : {}),
          ...(transition.attention !== undefined
            ? { attention_message: transition.attention?.message ?? null }
            : {}),
          ...(transition.deployments !== undefined
            ? { deployments: json(transition.deployments) }
            : {}),
          ...(transition.verification !== undefined
            ? { verification: json(transition.verification) }
            : {}),
          ...(transition.owners !== undefined
            ? { owners: JSON.stringify(transition.owners) }
            : {}),
        });
      if (updated !== 1) {
        throw new ConflictError(
          `Access request ${id} changed while being ${describeAction(
            transition.action,
          )}; reload it`,
        );
      }
      await tx(PRINCIPALS).where({ request_id: id }).update({ state: rule.to });
      if (transition.owners !== undefined) {
        await this.writeOwners(tx, id, transition.owners);
      }
      await tx(EVENTS).insert({
        request_id: id,
        at: now,
        actor: transition.actor,
        action: transition.action,
        from_state: from,
        to_state: rule.to,
        message: transition.message ?? null,
        policy_before: transition.policyBefore ?? null,
        policy_after: transition.policyAfter ?? null,
      });
    });
    return this.getOrThrow(id);
  }

  /** Replaces the recorded owners (resolved from the catalog when someone acts). */
  async updateOwners(id: string, owners: string[]) {
    await this.db.transaction(async tx => {
      const updated = await tx(REQUESTS)
        .where({ id })
        .update({ owners: JSON.stringify(owners) });
      if (updated !== 1) throw new NotFoundError(`No access request ${id}`);
      await this.writeOwners(tx, id, owners);
    });
  }

  private async withEvents(
    rows: Array<Record<string, any>>,
  ): Promise<AccessRequest[]> {
    if (rows.length === 0) return [];
    const events = await this.db(EVENTS)
      .whereIn(
        'request_id',
        rows.map(r => r.id),
      )
      .orderBy('id');
    const byRequest = new Map<string, AccessRequestEvent[]>();
    for (const e of events) {
      const list = byRequest.get(e.request_id) ?? [];
      list.push({
        at: toIso(e.at),
        actor: e.actor,
        action: e.action,
        fromState: e.from_state ?? undefined,
        toState: e.to_state,
        message: e.message ?? undefined,
        policyBefore: e.policy_before ?? undefined,
        policyAfter: e.policy_after ?? undefined,
      });
      byRequest.set(e.request_id, list);
    }
    return rows.map(row => ({
      id: row.id,
      kind: (row.kind ?? 'grant') as AccessRequestKind,
      entityRef: row.entity_ref,
      accountId: row.account_id,
      region: row.region,
      apiId: row.api_id,
      apiName: row.api_name,
      stages: JSON.parse(row.stages),
      vpcId: row.vpc_id ?? undefined,
      vpcEndpointId: row.vpc_endpoint_id ?? undefined,
      associateEndpoint: Boolean(row.associate_endpoint),
      justification: row.justification,
      requester: row.requester,
      owners: JSON.parse(row.owners),
      state: row.state,
      applyMode: row.apply_mode as ApplyMode,
      createdAt: toIso(row.created_at),
      updatedAt: toIso(row.updated_at),
      proposedChange: row.proposed_change
        ? JSON.parse(row.proposed_change)
        : undefined,
      failure: row.failure_code
        ? { code: row.failure_code, message: row.failure_message ?? '' }
        : undefined,
      attention: row.attention_message
        ? { message: row.attention_message }
        : undefined,
      deployments: row.deployments ? JSON.parse(row.deployments) : undefined,
      leaseExpiresAt:
        row.state === 'applying' && row.lease_expires_at
          ? toIso(row.lease_expires_at)
          : undefined,
      verification: row.verification ? JSON.parse(row.verification) : undefined,
      events: byRequest.get(row.id) ?? [],
    }));
  }
}

function describeAction(action: AccessRequestAction): string {
  switch (action) {
    case 'approve':
      return 'approved';
    case 'reject':
      return 'rejected';
    case 'cancel':
      return 'cancelled';
    case 'apply':
      return 'applied';
    case 'verify':
      return 'verified';
    default:
      return `moved by ${action}`;
  }
}
