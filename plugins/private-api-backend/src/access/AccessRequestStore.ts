import { DatabaseService } from '@backstage/backend-plugin-api';
import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  AccessRequest,
  AccessRequestAction,
  AccessRequestEvent,
  AccessRequestKind,
  AccessRequestState,
  ACCESS_REQUEST_TRANSITIONS,
  ApplyMode,
  OPEN_ACCESS_REQUEST_STATES,
  ProposedChange,
} from '@private-api-catalog/plugin-private-api-common';
import { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import { openDatabase } from '../database';

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

  private constructor(private readonly db: Knex) {}

  async create(
    request: NewAccessRequest,
    actor: string,
  ): Promise<AccessRequest> {
    const id = randomUUID();
    const now = new Date();
    await this.db.transaction(async tx => {
      await tx('private_api_access_requests').insert({
        id,
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
      await tx('private_api_access_request_events').insert({
        request_id: id,
        at: now,
        actor,
        action: 'create',
        to_state: 'pending',
        message: request.justification,
      });
    });
    return (await this.get(id))!;
  }

  async get(id: string): Promise<AccessRequest | undefined> {
    const row = await this.db('private_api_access_requests')
      .where({ id })
      .first();
    if (!row) return undefined;
    const [request] = await this.withEvents([row]);
    return request;
  }

  async getOrThrow(id: string): Promise<AccessRequest> {
    const request = await this.get(id);
    if (!request) throw new NotFoundError(`No access request ${id}`);
    return request;
  }

  async list(
    filter: {
      accountId?: string;
      region?: string;
      apiId?: string;
      states?: AccessRequestState[];
      requester?: string;
    } = {},
  ): Promise<AccessRequest[]> {
    const query = this.db('private_api_access_requests').orderBy(
      'created_at',
      'desc',
    );
    if (filter.accountId) query.where('account_id', filter.accountId);
    if (filter.region) query.where('region', filter.region);
    if (filter.apiId) query.where('api_id', filter.apiId);
    if (filter.states) query.whereIn('state', filter.states);
    if (filter.requester) query.where('requester', filter.requester);
    return this.withEvents(await query);
  }

  /** An open request for the same API and caller (the same endpoint, or the same VPC), if any. */
  async findOpenDuplicate(
    request: Pick<
      AccessRequest,
      'accountId' | 'region' | 'apiId' | 'vpcId' | 'vpcEndpointId'
    >,
  ) {
    const query = this.db('private_api_access_requests')
      .where({
        account_id: request.accountId,
        region: request.region,
        api_id: request.apiId,
      })
      .whereIn('state', OPEN_ACCESS_REQUEST_STATES);
    if (request.vpcEndpointId) {
      query.where('vpc_endpoint_id', request.vpcEndpointId);
    } else {
      query.where('vpc_id', request.vpcId ?? '').whereNull('vpc_endpoint_id');
    }
    return (await query.first('id', 'state')) as
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
      const row = await tx('private_api_access_requests')
        .where({ id })
        .first('state');
      if (!row) throw new NotFoundError(`No access request ${id}`);
      const from = row.state as AccessRequestState;
      if (!rule.from.includes(from)) {
        throw new ConflictError(
          `Access request ${id} is ${from}: it cannot be ${describeAction(
            transition.action,
          )} (only from ${rule.from.join(' or ') || 'nothing'})`,
        );
      }
      const updated = await tx('private_api_access_requests')
        .where({ id, state: from })
        .update({
          state: rule.to,
          updated_at: now,
          ...(transition.proposedChange !== undefined
            ? {
                proposed_change: transition.proposedChange
                  ? JSON.stringify(transition.proposedChange)
                  : null,
              }
            : {}),
          ...(transition.failure !== undefined
            ? {
                failure_code: transition.failure?.code ?? null,
                failure_message: transition.failure?.message ?? null,
              }
            : {}),
        });
      if (updated !== 1) {
        throw new ConflictError(
          `Access request ${id} changed while being ${describeAction(
            transition.action,
          )}; reload it`,
        );
      }
      await tx('private_api_access_request_events').insert({
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

  private async withEvents(
    rows: Array<Record<string, any>>,
  ): Promise<AccessRequest[]> {
    if (rows.length === 0) return [];
    const events = await this.db('private_api_access_request_events')
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
      verification: row.verification
        ? JSON.parse(row.verification)
        : undefined,
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
