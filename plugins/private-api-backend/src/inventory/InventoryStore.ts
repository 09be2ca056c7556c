import { DatabaseService } from '@backstage/backend-plugin-api';
import { createHash } from 'node:crypto';
import { Knex } from 'knex';
import { ChangeFeedState } from '../discovery/ChangeFeedState';
import {
  AccountRecord,
  apiEntityName,
  ApiRecord,
  ApiType,
  DomainRecord,
  EstateContext,
  IntegrationRecord,
  TrafficRecord,
  VpcEndpointRecord,
  VpcLinkRecord,
  VpcRecord,
} from '@private-api-catalog/plugin-private-api-common';
import { openDatabase, transactionRetryingDeadlocks } from '../database';
import { fts5Query, queryWords, tsQuery } from './search';
import { isPrivateRest, UNNAMED_CALLER } from './reverseIndex';
import type { ApiIndexEntry, CallerRow } from './reverseIndex';
import { apiKey } from '../discovery/normalize';
import { apiOwnerRef, ownerEntityRef, OwnerRule } from './owner';
import {
  decodeSortCursor,
  encodeSortCursor,
  SORT_COLUMNS,
  SortPosition,
} from './explorerSort';
import type {
  ApiListFilter,
  ApiPage,
  ScopeApiPage,
  ApiWrite,
  ReachFacts,
  ScopeResources,
  ScopeStatus,
  TrafficByApiId,
} from './types';

const CHILD_TABLES = [
  'private_api_stages',
  'private_api_routes',
  'private_api_authorizers',
  'private_api_integrations',
] as const;

/** Children of an API that a 'keep' write leaves alone (stages are always rewritten). */
const DETAIL_TABLES = [
  'private_api_routes',
  'private_api_authorizers',
  'private_api_integrations',
] as const;

type TopLevelRecord = Omit<
  ApiRecord,
  | 'stages'
  | 'routes'
  | 'integrations'
  | 'authorizers'
  | 'vpcLinks'
  | 'domains'
  | 'traffic'
>;

function toIso(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  return new Date(value as string | number | Date).toISOString();
}

function toNumber(value: unknown): number | undefined {
  return value === null || value === undefined ? undefined : Number(value);
}

/** How long the catalog module can find removed APIs by generation. */
export const TOMBSTONE_RETENTION_MS = 30 * 24 * 3_600_000;

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Hashes of the parts of an API a write stores; a part the write keeps keeps its hash.
 * Any hash that moves is a change the catalog must see.
 */
/** An API record split into what its child tables store and the top-level row. */
function splitRecord(record: ApiRecord) {
  const {
    stages,
    routes,
    integrations,
    authorizers,
    vpcLinks: _vpcLinks,
    domains: _domains,
    traffic: _traffic,
    ...topLevel
  } = record;
  return { stages, routes, integrations, authorizers, topLevel };
}

function contentHashes(
  parts: ReturnType<typeof splitRecord>,
  write: ApiWrite,
  existing:
    | {
        stages_hash?: string | null;
        details_hash?: string | null;
        definition_hash?: string | null;
      }
    | undefined,
  refreshDetails: boolean,
) {
  const { stages, routes, integrations, authorizers, topLevel } = parts;
  const kept = (value: string | null | undefined) => value ?? null;
  let definitionHash = kept(existing?.definition_hash);
  if (refreshDetails && write.definition === null) definitionHash = null;
  else if (refreshDetails && write.definition) {
    definitionHash = sha256(
      `${write.definition.stageName}\n${write.definition.content}`,
    );
  }
  return {
    record_hash: sha256(JSON.stringify(topLevel)),
    stages_hash: write.detailError
      ? kept(existing?.stages_hash)
      : sha256(JSON.stringify(stages)),
    details_hash: refreshDetails
      ? sha256(JSON.stringify([routes, authorizers, integrations]))
      : kept(existing?.details_hash),
    definition_hash: definitionHash,
  };
}

function splitLines(value: unknown): string[] {
  return typeof value === 'string' && value ? value.split('\n') : [];
}

function callerRowValues(row: CallerRow) {
  return {
    target_key: row.targetKey,
    target_kind: row.targetKind,
    region: row.region,
    caller: row.caller,
    vpc_id: row.vpcId ?? null,
    verdict: row.verdict,
    principals: row.principals.join('\n') || null,
    reason: row.reason,
  };
}

function toBoolean(value: unknown): boolean | undefined {
  return value === null || value === undefined ? undefined : Boolean(value);
}

/** Verdicts that let some call in. */
const ADMITTED = ['allowed', 'signed-only'];

/**
 * Rows after a keyset position in a sort: lexicographically after (before, descending) its
 * values and key.
 *
 * PostgreSQL seeks a B-tree to a row comparison (`(c1, c2, key) > (…)`, an `Index Cond` on
 * every column of the sort's index), so a page is a range wherever it starts. SQLite does
 * not range on row values; there (by name: other sorts go by pageAfterOnSqlite) the name's
 * `>=` (`<=`) comes first, the start of a range of the name index, with the comparison of
 * the key spelled out after it (the OR alone makes SQLite walk the index from its start);
 * a run of equal names is a few APIs long.
 */
function whereAfter(
  page: Knex.QueryBuilder,
  columns: Array<{ sql: string }>,
  values: Array<string | number>,
  key: string,
  order: 'asc' | 'desc',
  isPostgres: boolean,
  /** The column that holds the key (a reverse-index row names the API by its own). */
  keyColumn = 'a.api_key',
) {
  const beyond = order === 'asc' ? '>' : '<';
  const exprs = [...columns.map(c => c.sql), keyColumn];
  const bound = [...values, key];
  if (isPostgres) {
    page.whereRaw(
      `(${exprs.join(', ')}) ${beyond} (${exprs.map(() => '?').join(', ')})`,
      bound,
    );
    return;
  }
  page.whereRaw(`${exprs[0]} ${beyond}= ?`, [bound[0]]);
  page.where(q => {
    exprs.forEach((_, i) => {
      q.orWhere(q2 => {
        for (let j = 0; j < i; j++) q2.whereRaw(`${exprs[j]} = ?`, [bound[j]]);
        q2.whereRaw(`${exprs[i]} ${beyond} ?`, [bound[i]]);
      });
    });
  });
}

/** How many APIs, how many of them priced, and the sum of their monthly costs. */
interface Totals {
  totalCount: number;
  monthlyCostTotalUsd: number;
  pricedCount: number;
}

/**
 * The number of matches and the sum of their monthly costs (of those with a figure): one
 * aggregate over the matches, linear in their number.
 */
async function matchTotals(query: Knex.QueryBuilder): Promise<Totals> {
  return sumOfCosts(query.clone(), 'a.monthly_cost_usd');
}

/** Counts the rows of `rows`, and those with a `cost`, and adds the costs up. */
async function sumOfCosts(
  rows: Knex.QueryBuilder,
  cost: string,
): Promise<Totals> {
  const [row]: Array<Record<string, unknown>> = await rows
    .count({ total: '*' })
    .count({ priced: cost })
    .sum({ cost });
  return {
    totalCount: Number(row.total),
    pricedCount: Number(row.priced),
    monthlyCostTotalUsd: Number(row.cost ?? 0),
  };
}

/** A reverse-index row read into a page row's columns `{prefix}verdict`, …, if there is one. */
function admissionOf(
  row: Record<string, any>,
  prefix: string,
  caller: string,
): ReachFacts['admissions'] {
  if (!row[`${prefix}verdict`]) return [];
  return [
    {
      caller,
      verdict: row[`${prefix}verdict`],
      principals: splitLines(row[`${prefix}principals`]),
      reason: row[`${prefix}reason`],
    },
  ];
}

/** Filters that match whole scopes (see InventoryStore.scopeTotals). */
const SCOPE_FILTERS: ReadonlySet<string> = new Set<keyof ApiListFilter>([
  'accountId',
  'region',
  'stale',
]);
/** What a list filter holds about the page it asks for rather than the APIs that match. */
const PAGE_KEYS: ReadonlySet<string> = new Set<keyof ApiListFilter>([
  'limit',
  'offset',
  'after',
  'count',
  'sort',
  'order',
  'totals',
]);

/** Does the filter match whole scopes (no filter, or only accounts, Regions, stale ones)? */
function matchesWholeScopes(filter: ApiListFilter): boolean {
  return Object.entries(filter).every(
    ([key, value]) =>
      value === undefined ||
      value === false ||
      value === '' ||
      SCOPE_FILTERS.has(key) ||
      PAGE_KEYS.has(key),
  );
}

/** SQLite inserts at most 999 bound parameters per statement. */
const INSERT_CHUNK = 50;

/**
 * The reverse index's rows (`private_api_callers`) whose API is not a private REST API of
 * the inventory: gone, or its type changed. The store keeps there being none (see
 * reachablePageByName).
 */
function whereNotOfPrivateRestApi(db: Knex, rows: Knex.QueryBuilder) {
  return rows.whereNotExists(
    db('private_api_apis as n')
      .select(db.raw('1'))
      .whereRaw('n.api_key = private_api_callers.target_key')
      .where({ 'n.api_type': 'REST', 'n.endpoint_type': 'PRIVATE' }),
  );
}

/**
 * What a reverse-index row copies from its API's row, as the statement updating it sees that
 * row: the name (the order a `reachableFrom` page reads the rows in, see
 * reachablePageByName) and the monthly cost (what its totals add up, see reachableTotals).
 * The store writes them whenever it writes the rows, renames the API or prices it.
 */
function copiedApiColumns(db: Knex) {
  const fromApi = (column: string) =>
    db('private_api_apis as n')
      .select(`n.${column}`)
      .whereRaw('n.api_key = private_api_callers.target_key');
  return {
    target_name: fromApi('name'),
    monthly_cost_usd: fromApi('monthly_cost_usd'),
  };
}

/** `last_seen_run` of an API a change-feed re-crawl found before any run saw it. */
const CHANGE_FEED_RUN = 'change-feed';

/**
 * The stored inventory, in the plugin's own database (SQLite or PostgreSQL).
 */
export class InventoryStore {
  static async create(options: {
    database: DatabaseService;
  }): Promise<InventoryStore> {
    return new InventoryStore(await openDatabase(options.database));
  }

  private constructor(private readonly db: Knex) {}

  /** The change feed's read positions, leases and handled events, in the same database. */
  changeFeedState(): ChangeFeedState {
    return new ChangeFeedState(this.db);
  }

  private get isPostgres(): boolean {
    return this.db.client.config.client === 'pg';
  }

  // ---------------------------------------------------------------- crawl lifecycle

  async startScope(scope: {
    accountId: string;
    region: string;
    accountName?: string;
    startedAt: Date;
  }): Promise<void> {
    await this.db('private_api_scopes')
      .insert({
        account_id: scope.accountId,
        region: scope.region,
        account_name: scope.accountName ?? null,
        status: 'never',
        last_started_at: scope.startedAt,
      })
      .onConflict(['account_id', 'region'])
      .merge({
        account_name: scope.accountName ?? null,
        last_started_at: scope.startedAt,
      });
  }

  /**
   * The discovery run that last saw an API, so that a single-API re-crawl writes under the
   * same run and a scope crawl under way does not take it for removed.
   */
  async getApiRun(
    accountId: string,
    region: string,
    apiId: string,
  ): Promise<string | undefined> {
    const row = await this.db('private_api_apis')
      .where({ account_id: accountId, region, api_id: apiId })
      .first('last_seen_run');
    return row?.last_seen_run ?? undefined;
  }

  /** Fingerprints of the stored APIs of a scope, for incremental crawls. */
  async getFingerprints(
    accountId: string,
    region: string,
  ): Promise<Map<string, string>> {
    const rows = await this.db('private_api_apis')
      .where({ account_id: accountId, region })
      .whereNotNull('details_crawled_at')
      .whereNull('detail_error')
      .select('api_id', 'fingerprint');
    return new Map(rows.map(r => [r.api_id, r.fingerprint ?? '']));
  }

  /**
   * Stores one API. `runId` marks it seen by that run; a change-feed re-crawl passes
   * undefined, which keeps the mark of whichever run saw it last, so that a run going on at
   * the same time does not take the API for deleted.
   */
  async writeApi(
    runId: string | undefined,
    write: ApiWrite,
    /** The owner tag's key, or the rule with the default owner (stored as `owner_ref`). */
    owner: string | OwnerRule,
    /** Write inside this transaction (see writeApis) instead of one of its own. */
    outer?: Knex.Transaction,
  ) {
    const { record } = write;
    const ownerRule = typeof owner === 'string' ? { tagKey: owner } : owner;
    const key = apiKey(record.accountId, record.region, record.apiId);
    const parts = splitRecord(record);
    const { stages, routes, integrations, authorizers, topLevel } = parts;
    const now = new Date();

    const body = async (tx: Knex.Transaction) => {
      const existing = await tx('private_api_apis')
        .where({ api_key: key })
        .first(
          'api_key',
          'name',
          'api_type',
          'endpoint_type',
          'record_hash',
          'stages_hash',
          'details_hash',
          'definition_hash',
          'record',
        );
      // Children are rewritten unless the crawl kept them on purpose (unchanged
      // deployments) or could not fetch them (the stored ones stay until it can).
      const refreshDetails =
        !(write.details === 'keep' && existing) && !write.detailError;
      // Kept details keep the note of where they were read from (an export or the working
      // copy), or an unchanged API would look changed to the catalog on every other crawl.
      if (!refreshDetails && existing && !topLevel.detailsSource) {
        const stored = JSON.parse(existing.record) as Partial<ApiRecord>;
        if (stored.detailsSource) topLevel.detailsSource = stored.detailsSource;
      }
      const hashes = contentHashes(parts, write, existing, refreshDetails);
      const changed =
        !existing ||
        (Object.keys(hashes) as Array<keyof typeof hashes>).some(
          column => hashes[column] !== (existing[column] ?? null),
        );
      await this.recordEntityNameChange(tx, record, existing?.name);
      const values = {
        ...hashes,
        // Only a completed crawl hands the change to the catalog (see completeScope).
        ...(changed ? { change_pending: true } : {}),
        name: record.name,
        api_type: record.apiType,
        endpoint_type: record.endpointType,
        owner_tag: record.tags[ownerRule.tagKey] ?? null,
        // The owner the catalog entity gets (see owner.ts): the explorer filters and sorts by it.
        owner_ref: apiOwnerRef(record.tags, ownerRule),
        // With the record, so that a list shows new tags at once and never reads the record.
        tags: JSON.stringify(record.tags),
        record: JSON.stringify(topLevel),
        // What a listed API's invoke URL needs, without parsing the record (see withAccess).
        aws_partition: record.partition,
        vpc_endpoint_ids: record.vpcEndpointIds.join(','),
        disable_execute_api_endpoint: record.disableExecuteApiEndpoint,
        // The detail snapshot is outdated now; the crawl's derived step writes it again.
        detail_json: null,
        detail_error: write.detailError ?? null,
        ...(runId ? { last_seen_run: runId } : {}),
        updated_at: now,
        ...(refreshDetails
          ? {
              fingerprint: write.fingerprint,
              details_crawled_at: now,
              authorization_types: [
                ...new Set(routes.map(r => r.authorizationType)),
              ]
                .sort()
                .join(','),
            }
          : {}),
      };
      await tx('private_api_apis')
        .insert({
          api_key: key,
          account_id: record.accountId,
          region: record.region,
          api_id: record.apiId,
          last_seen_run: runId ?? CHANGE_FEED_RUN,
          ...values,
        })
        .onConflict('api_key')
        .merge(values);
      if (!existing) {
        // Counted at once; its cost joins the scope's total with the derived figures.
        await tx('private_api_scopes')
          .where({ account_id: record.accountId, region: record.region })
          .increment('api_count', 1);
      }
      const wasPrivateRest =
        existing &&
        isPrivateRest({
          apiType: existing.api_type,
          endpointType: existing.endpoint_type,
        });
      if (wasPrivateRest && !isPrivateRest(record)) {
        // No longer one whose policy VPC endpoints are checked against: it has no index rows.
        await tx('private_api_callers').where({ target_key: key }).delete();
      } else if (existing && existing.name !== record.name) {
        // The reverse index's copy of the name (see writeIndexEntries).
        await tx('private_api_callers')
          .where({ target_key: key })
          .update({ target_name: record.name });
      }

      // Without details (the crawl of this API failed) the stored stages stay too.
      if (write.detailError) return;
      await tx('private_api_stages').where({ api_key: key }).delete();
      await this.insertChunked(
        tx,
        'private_api_stages',
        stages.map(s => ({
          api_key: key,
          item_id: s.stageName,
          data: JSON.stringify(s),
        })),
      );
      // By the database's order of names, as the stages table sorts them.
      await tx('private_api_apis')
        .where({ api_key: key })
        .update({
          first_stage: tx('private_api_stages')
            .where({ api_key: key })
            .min('item_id'),
        });

      if (!refreshDetails) return;

      for (const table of DETAIL_TABLES) {
        await tx(table).where({ api_key: key }).delete();
      }
      await this.insertChunked(
        tx,
        'private_api_routes',
        routes.map(r => ({
          api_key: key,
          item_id: r.id,
          authorization_type: r.authorizationType,
          integration_id: r.integrationId ?? null,
          data: JSON.stringify(r),
        })),
      );
      await this.insertChunked(
        tx,
        'private_api_authorizers',
        authorizers.map(a => ({
          api_key: key,
          item_id: a.id,
          type: a.type,
          data: JSON.stringify(a),
        })),
      );
      await this.insertChunked(
        tx,
        'private_api_integrations',
        integrations.map(i => ({
          api_key: key,
          item_id: i.id,
          connection_type: i.connectionType,
          connection_id: i.connectionId ?? null,
          data: JSON.stringify(i),
        })),
      );
      if (write.definition === null) {
        await tx('private_api_definitions').where({ api_key: key }).delete();
      } else if (write.definition) {
        await tx('private_api_definitions')
          .insert({
            api_key: key,
            stage_name: write.definition.stageName,
            content: write.definition.content,
          })
          .onConflict('api_key')
          .merge();
      }
    };
    await (outer ? body(outer) : transactionRetryingDeadlocks(this.db, body));
  }

  /**
   * Stores many APIs in one transaction, each exactly as {@link writeApi} would: for a bulk
   * load (an estate loaded at once), where one commit per API would dominate.
   */
  async writeApis(
    runId: string | undefined,
    writes: ApiWrite[],
    owner: string | OwnerRule,
  ) {
    await transactionRetryingDeadlocks(this.db, async tx => {
      for (const write of writes) await this.writeApi(runId, write, owner, tx);
    });
  }

  /**
   * A new or renamed API: its old entity name (if any) gets a tombstone so the catalog
   * removes that entity, and a tombstone of its current name (an API re-created) goes.
   */
  private async recordEntityNameChange(
    tx: Knex.Transaction,
    record: ApiRecord,
    previousName: string | undefined,
  ) {
    if (previousName === record.name) return;
    const scope = { account_id: record.accountId, region: record.region };
    const name = apiEntityName(record);
    await tx('private_api_removed_apis')
      .where({ ...scope, entity_name: name })
      .delete();
    if (previousName === undefined) return;
    const oldName = apiEntityName({ name: previousName, apiId: record.apiId });
    if (oldName === name) return;
    await tx('private_api_removed_apis')
      .insert({
        ...scope,
        entity_name: oldName,
        generation: null,
        removed_at: new Date(),
      })
      .onConflict(['account_id', 'region', 'entity_name'])
      .merge();
  }

  async replaceScopeResources(
    accountId: string,
    region: string,
    resources: ScopeResources,
  ): Promise<void> {
    const scope = { account_id: accountId, region };
    await transactionRetryingDeadlocks(this.db, async tx => {
      await tx('private_api_vpc_links').where(scope).delete();
      await tx('private_api_domains').where(scope).delete();
      await this.insertChunked(
        tx,
        'private_api_vpc_links',
        resources.vpcLinks.map(l => ({
          ...scope,
          vpc_link_id: l.id,
          data: JSON.stringify(l),
        })),
      );
      await this.insertChunked(
        tx,
        'private_api_domains',
        resources.domains.map(d => ({
          ...scope,
          domain_name: d.domainNameId
            ? `${d.domainName}+${d.domainNameId}`
            : d.domainName,
          data: JSON.stringify(d),
        })),
      );
      await this.writeVpcEndpoints(tx, scope, resources);
    });
  }

  private async writeVpcEndpoints(
    tx: Knex.Transaction,
    scope: { account_id: string; region: string },
    resources: Pick<ScopeResources, 'vpcEndpoints' | 'vpcs'>,
  ) {
    const endpointsHash = sha256(
      JSON.stringify(
        [...resources.vpcEndpoints].sort((a, b) =>
          a.vpcEndpointId.localeCompare(b.vpcEndpointId),
        ),
      ),
    );
    // The endpoints are catalog entities: the next completed crawl announces a change.
    await tx('private_api_scopes')
      .where(scope)
      .where(q =>
        q.whereNull('endpoints_hash').orWhereNot({
          endpoints_hash: endpointsHash,
        }),
      )
      .update({
        endpoints_hash: endpointsHash,
        endpoints_change_pending: true,
      });
    await tx('private_api_vpc_endpoints').where(scope).delete();
    await tx('private_api_vpcs').where(scope).delete();
    await this.insertChunked(
      tx,
      'private_api_vpc_endpoints',
      resources.vpcEndpoints.map(e => ({
        ...scope,
        vpc_endpoint_id: e.vpcEndpointId,
        vpc_id: e.vpcId,
        data: JSON.stringify(e),
      })),
    );
    await this.insertChunked(
      tx,
      'private_api_vpcs',
      resources.vpcs.map(v => ({
        ...scope,
        vpc_id: v.vpcId,
        data: JSON.stringify(v),
      })),
    );
  }

  async writeTraffic(
    accountId: string,
    region: string,
    traffic: TrafficByApiId,
  ): Promise<void> {
    await transactionRetryingDeadlocks(this.db, async tx => {
      for (const [apiId, record] of traffic) {
        const key = apiKey(accountId, region, apiId);
        await tx('private_api_traffic').where({ api_key: key }).delete();
        await this.insertChunked(
          tx,
          'private_api_traffic',
          record.daily.map(d => ({
            api_key: key,
            day: d.date,
            count: d.count,
            connect_count: null,
          })),
        );
        if (record.connectCount !== undefined && record.daily.length > 0) {
          // The period's connect count rides on the newest day's row.
          await tx('private_api_traffic')
            .where({
              api_key: key,
              day: record.daily[record.daily.length - 1].date,
            })
            .update({ connect_count: record.connectCount });
        }
      }
    });
  }

  /**
   * Stores the figures the crawl derives for APIs (the detail snapshot, the explorer's
   * columns, the cost answer, the policy analysis), one page in one transaction. Only the
   * fields given are written: a field left undefined keeps its stored value.
   */
  async writeDerivedFigures(
    figures: Array<{
      apiKey: string;
      detailJson?: string;
      /** null: no figure (a public API's VPC count, an unreadable policy). */
      allowedVpcCount?: number | null;
      monthlyCostUsd?: number | null;
      /** The GET .../cost answer, as JSON. */
      costJson?: string | null;
      /** A new policy analysis (JSON, absent for an unreadable policy). */
      policyAnalysis?: { hash: string; json?: string };
    }>,
  ): Promise<void> {
    if (figures.length === 0) return;
    await transactionRetryingDeadlocks(this.db, async tx => {
      for (const f of figures) {
        const columns = {
          detail_json: f.detailJson,
          allowed_vpc_count: f.allowedVpcCount,
          monthly_cost_usd: f.monthlyCostUsd,
          cost_json: f.costJson,
          policy_analysis_hash: f.policyAnalysis?.hash,
          policy_analysis_json: f.policyAnalysis
            ? f.policyAnalysis.json ?? null
            : undefined,
        };
        const set = Object.fromEntries(
          Object.entries(columns).filter(([, v]) => v !== undefined),
        );
        if (Object.keys(set).length === 0) continue;
        await tx('private_api_apis').where({ api_key: f.apiKey }).update(set);
      }
      const priced = figures
        .filter(f => f.monthlyCostUsd !== undefined)
        .map(f => f.apiKey);
      for (let i = 0; i < priced.length; i += INSERT_CHUNK) {
        await tx('private_api_callers')
          .whereIn('target_key', priced.slice(i, i + INSERT_CHUNK))
          .update(copiedApiColumns(tx));
      }
      if (priced.length > 0) {
        const scopes = await tx('private_api_apis')
          .whereIn(
            'api_key',
            figures.map(f => f.apiKey),
          )
          .distinct('account_id', 'region');
        for (const scope of scopes) {
          await this.refreshScopeTotals(tx, scope.account_id, scope.region);
        }
      }
    });
  }

  /**
   * Counts a scope's APIs and adds up their monthly costs onto the scope's row, in the
   * transaction that changed them: the explorer's totals over whole accounts and Regions add
   * scope rows up instead of visiting every API (see scopeTotals).
   */
  private async refreshScopeTotals(
    tx: Knex.Transaction,
    accountId: string,
    region: string,
  ): Promise<void> {
    const totals = await matchTotals(
      tx('private_api_apis as a').where({
        'a.account_id': accountId,
        'a.region': region,
      }),
    );
    await tx('private_api_scopes')
      .where({ account_id: accountId, region })
      .update({
        api_count: totals.totalCount,
        priced_api_count: totals.pricedCount,
        monthly_cost_total_usd: totals.monthlyCostTotalUsd,
      });
  }

  /**
   * One page of a scope's APIs in key order (`after`: the last key of the previous page),
   * assembled, with what the crawl last derived from each (no exported definitions): the
   * input of the post-crawl steps, which walk a scope a page at a time so that memory does
   * not grow with it.
   */
  async scopeApiPage(
    accountId: string,
    region: string,
    page: { after?: string; limit: number },
  ): Promise<ScopeApiPage> {
    return this.apiPage(q => q.where({ account_id: accountId, region }), page);
  }

  /**
   * One page, in key order, of the APIs of a Region whose reverse-index entry was computed
   * with other endpoints than `endpointsHash` (APIs never indexed are left to their own
   * scope's crawl).
   */
  async staleIndexPage(
    region: string,
    endpointsHash: string,
    page: { after?: string; limit: number },
  ): Promise<ScopeApiPage> {
    return this.apiPage(
      q =>
        q
          .where({ region })
          .whereNotNull('callers_endpoints_hash')
          .whereNot({ callers_endpoints_hash: endpointsHash }),
      page,
    );
  }

  /** The APIs of a scope with an integration through one of these VPC links. */
  async scopeApiIdsUsingVpcLinks(
    accountId: string,
    region: string,
    vpcLinkIds: string[],
  ): Promise<string[]> {
    const rows = await this.db('private_api_integrations as i')
      .join('private_api_apis as a', 'a.api_key', 'i.api_key')
      .where({ 'a.account_id': accountId, 'a.region': region })
      .whereIn('i.connection_id', vpcLinkIds)
      .distinct('a.api_id');
    return rows.map(r => r.api_id as string);
  }

  /** Some of a scope's APIs by id, assembled, with what the crawl last derived from each. */
  async scopeApis(
    accountId: string,
    region: string,
    apiIds: string[],
  ): Promise<ScopeApiPage['items']> {
    const items: ScopeApiPage['items'] = [];
    for (let i = 0; i < apiIds.length; i += INSERT_CHUNK) {
      const keys = apiIds
        .slice(i, i + INSERT_CHUNK)
        .map(id => apiKey(accountId, region, id));
      const page = await this.apiPage(q => q.whereIn('api_key', keys), {
        limit: keys.length,
      });
      items.push(...page.items);
    }
    return items;
  }

  private async apiPage(
    where: (q: Knex.QueryBuilder) => Knex.QueryBuilder,
    page: { after?: string; limit: number },
  ): Promise<ScopeApiPage> {
    const rows = await this.db('private_api_apis')
      .modify(where)
      .modify(q => {
        if (page.after) q.where('api_key', '>', page.after);
      })
      .orderBy('api_key')
      .limit(page.limit)
      .select(
        'api_key',
        'account_id',
        'region',
        'record',
        'detail_json',
        'cost_json',
        'monthly_cost_usd',
        'allowed_vpc_count',
        'policy_analysis_hash',
        'callers_hash',
        'callers_endpoints_hash',
      );
    const apis = await this.assemble(rows);
    return {
      items: apis.map((api, i) => ({
        api,
        derived: {
          apiKey: rows[i].api_key,
          detailJson: rows[i].detail_json ?? undefined,
          costJson: rows[i].cost_json ?? undefined,
          monthlyCostUsd: toNumber(rows[i].monthly_cost_usd),
          allowedVpcCount: toNumber(rows[i].allowed_vpc_count),
          policyAnalysisHash: rows[i].policy_analysis_hash ?? undefined,
          callersHash: rows[i].callers_hash ?? undefined,
          callersEndpointsHash: rows[i].callers_endpoints_hash ?? undefined,
        },
      })),
      next:
        rows.length === page.limit ? rows[rows.length - 1].api_key : undefined,
    };
  }

  /**
   * What the APIs of a scope share in their cost, summed by the database: each API's
   * traffic (total and days with a data point, for its monthly requests) and how many APIs
   * use each VPC link. One small row per API with traffic and per link.
   */
  async scopeCostInputs(
    accountId: string,
    region: string,
  ): Promise<{
    traffic: Array<{ apiType: ApiType; total: number; days: number }>;
    vpcLinkUsers: Array<{ vpcLinkId: string; apis: number }>;
  }> {
    const traffic = await this.db('private_api_traffic as t')
      .join('private_api_apis as a', 'a.api_key', 't.api_key')
      .where({ 'a.account_id': accountId, 'a.region': region })
      .groupBy('t.api_key', 'a.api_type')
      .select('a.api_type')
      .sum({ total: 't.count' })
      .count({ days: '*' });
    const links = await this.db('private_api_integrations as i')
      .join('private_api_apis as a', 'a.api_key', 'i.api_key')
      .where({ 'a.account_id': accountId, 'a.region': region })
      .whereNotNull('i.connection_id')
      .groupBy('i.connection_id')
      .select('i.connection_id')
      .countDistinct({ apis: 'i.api_key' });
    return {
      traffic: traffic.map((r: any) => ({
        apiType: r.api_type,
        total: Number(r.total),
        days: Number(r.days),
      })),
      vpcLinkUsers: links.map((r: any) => ({
        vpcLinkId: r.connection_id,
        apis: Number(r.apis),
      })),
    };
  }

  /**
   * Marks a scope crawled: APIs not seen in this run are deleted (they were deleted in
   * AWS) and leave tombstones. When anything of the scope changed (an API's content, a
   * removal, the VPC endpoints), the generation increases and the changed APIs and
   * tombstones carry it, so the catalog module re-reads only those; otherwise the
   * generation stays and the catalog has nothing to do.
   */
  async completeScope(
    accountId: string,
    region: string,
    runId: string,
    result: {
      full: boolean;
      durationMs: number;
      calls: number;
      throttled: number;
      finishedAt: Date;
    },
  ): Promise<{ removedApiIds: string[] }> {
    return transactionRetryingDeadlocks(this.db, async tx => {
      const gone = await tx('private_api_apis')
        .where({ account_id: accountId, region })
        .whereNot({ last_seen_run: runId })
        .select('api_key', 'api_id', 'name');
      const goneKeys = gone.map(g => g.api_key);
      await this.insertChunked(
        tx,
        'private_api_removed_apis',
        gone.map(g => ({
          account_id: accountId,
          region,
          entity_name: apiEntityName({ name: g.name, apiId: g.api_id }),
          generation: null,
          removed_at: result.finishedAt,
        })),
        ['account_id', 'region', 'entity_name'],
      );
      await this.deleteApiRows(tx, goneKeys);
      await this.refreshScopeTotals(tx, accountId, region);
      const generation = await this.publishChanges(tx, accountId, region);
      await tx('private_api_removed_apis')
        .where({ account_id: accountId, region })
        .where(
          'removed_at',
          '<',
          new Date(result.finishedAt.getTime() - TOMBSTONE_RETENTION_MS),
        )
        .delete();
      await tx('private_api_scopes')
        .where({ account_id: accountId, region })
        .update({
          status: 'ok',
          last_success_at: result.finishedAt,
          ...(result.full ? { last_full_crawl_at: result.finishedAt } : {}),
          last_error_code: null,
          last_error_message: null,
          last_duration_ms: result.durationMs,
          last_calls: result.calls,
          last_throttled: result.throttled,
          generation,
          endpoints_change_pending: false,
        });
      return { removedApiIds: gone.map(g => g.api_id), generation };
    });
  }

  /** Gives the scope's pending changes a new generation; returns the scope's generation. */
  private async publishChanges(
    tx: Knex.Transaction,
    accountId: string,
    region: string,
  ): Promise<number> {
    const scope = { account_id: accountId, region };
    const row = await tx('private_api_scopes')
      .where(scope)
      .first('generation', 'endpoints_change_pending');
    const current = Number(row?.generation ?? 0);
    const pendingApi = await tx('private_api_apis')
      .where({ ...scope, change_pending: true })
      .first('api_key');
    const pendingTombstone = await tx('private_api_removed_apis')
      .where(scope)
      .whereNull('generation')
      .first('entity_name');
    if (!pendingApi && !pendingTombstone && !row?.endpoints_change_pending) {
      return current;
    }
    const next = current + 1;
    await tx('private_api_apis')
      .where({ ...scope, change_pending: true })
      .update({ change_pending: false, changed_generation: next });
    await tx('private_api_removed_apis')
      .where(scope)
      .whereNull('generation')
      .update({ generation: next });
    return next;
  }

  /** Asks every replica's shard tasks to crawl all accounts not started since `at`. */
  async requestDiscovery(at: Date): Promise<void> {
    await this.db('private_api_discovery_requests')
      .insert({ id: 'all', requested_at: at })
      .onConflict('id')
      .merge();
  }

  async getDiscoveryRequestedAt(): Promise<Date | undefined> {
    const row = await this.db('private_api_discovery_requests')
      .where({ id: 'all' })
      .first('requested_at');
    return row ? new Date(row.requested_at) : undefined;
  }

  /**
   * Deletes APIs that AWS no longer has (a change-feed re-crawl found them gone), leaving
   * tombstones so that the catalog module removes their entities.
   */
  async removeApis(accountId: string, region: string, apiIds: string[]) {
    const keys = apiIds.map(id => apiKey(accountId, region, id));
    if (keys.length === 0) return;
    await transactionRetryingDeadlocks(this.db, async tx => {
      const gone = await tx('private_api_apis')
        .whereIn('api_key', keys)
        .select('api_id', 'name');
      await this.insertChunked(
        tx,
        'private_api_removed_apis',
        gone.map(g => ({
          account_id: accountId,
          region,
          entity_name: apiEntityName({ name: g.name, apiId: g.api_id }),
          generation: null,
          removed_at: new Date(),
        })),
        ['account_id', 'region', 'entity_name'],
      );
      await this.deleteApiRows(tx, keys);
      await this.refreshScopeTotals(tx, accountId, region);
    });
  }

  /** Deletes APIs with everything stored of them: children, documents, traffic, index rows. */
  private async deleteApiRows(tx: Knex.Transaction, keys: string[]) {
    for (let i = 0; i < keys.length; i += INSERT_CHUNK) {
      const chunk = keys.slice(i, i + INSERT_CHUNK);
      for (const table of [
        ...CHILD_TABLES,
        'private_api_definitions',
        'private_api_traffic',
      ]) {
        await tx(table).whereIn('api_key', chunk).delete();
      }
      await tx('private_api_callers').whereIn('target_key', chunk).delete();
      await tx('private_api_apis').whereIn('api_key', chunk).delete();
    }
  }

  /**
   * Hands the changes of a re-crawl outside a run (a change-feed re-crawl) to the catalog:
   * the scope's pending changes get a new generation; the run bookkeeping stays.
   */
  async touchScope(accountId: string, region: string): Promise<void> {
    await transactionRetryingDeadlocks(this.db, async tx => {
      await this.refreshScopeTotals(tx, accountId, region);
      const generation = await this.publishChanges(tx, accountId, region);
      await tx('private_api_scopes')
        .where({ account_id: accountId, region })
        .update({
          generation,
          endpoints_change_pending: false,
        });
    });
  }

  /** Records a failed crawl; the scope's stored inventory stays as it was. */
  async failScope(
    accountId: string,
    region: string,
    failure: {
      code: string;
      message: string;
      durationMs: number;
      calls: number;
      throttled: number;
      finishedAt: Date;
    },
  ): Promise<void> {
    const current = await this.db('private_api_scopes')
      .where({ account_id: accountId, region })
      .first('last_success_at');
    await this.db('private_api_scopes')
      .where({ account_id: accountId, region })
      .update({
        status: current?.last_success_at ? 'stale' : 'never',
        last_failure_at: failure.finishedAt,
        last_error_code: failure.code,
        last_error_message: failure.message,
        last_duration_ms: failure.durationMs,
        last_calls: failure.calls,
        last_throttled: failure.throttled,
      });
  }

  // ---------------------------------------------------------------- reads

  async listScopes(): Promise<ScopeStatus[]> {
    const rows = await this.db('private_api_scopes').orderBy([
      'account_id',
      'region',
    ]);
    return rows.map(row => ({
      accountId: row.account_id,
      region: row.region,
      accountName: row.account_name ?? undefined,
      status: row.status,
      lastStartedAt: toIso(row.last_started_at),
      lastSuccessAt: toIso(row.last_success_at),
      lastFullCrawlAt: toIso(row.last_full_crawl_at),
      lastFailureAt: toIso(row.last_failure_at),
      lastErrorCode: row.last_error_code ?? undefined,
      lastErrorMessage: row.last_error_message ?? undefined,
      lastDurationMs: toNumber(row.last_duration_ms),
      lastCalls: toNumber(row.last_calls),
      lastThrottled: toNumber(row.last_throttled),
      apiCount: Number(row.api_count),
      generation: Number(row.generation),
    }));
  }

  async getScope(
    accountId: string,
    region: string,
  ): Promise<ScopeStatus | undefined> {
    return (await this.listScopes()).find(
      s => s.accountId === accountId && s.region === region,
    );
  }

  async listApis(filter: ApiListFilter = {}): Promise<ApiPage> {
    const { reach: _, ...page } = await this.listPage(filter, false);
    return page;
  }

  /**
   * The `reachableFrom` list: a page of {@link listApis} with what each API's access and
   * invoke URL need from there (read with the page: columns the crawl writes with the
   * record and stages, and the reverse index's rows for the caller's endpoints).
   */
  async listReachableApis(
    filter: ApiListFilter & {
      reachableFrom: NonNullable<ApiListFilter['reachableFrom']>;
    },
  ): Promise<ApiPage & { reach: Map<string, ReachFacts> }> {
    const page = await this.listPage(filter, true);
    return { ...page, reach: page.reach ?? new Map() };
  }

  /**
   * `table as alias`, read through its list-row covering index on SQLite: without
   * statistics (nothing runs ANALYZE) SQLite picks the unique key's index, and then reads
   * each row, whose listed columns lie behind its JSON documents on overflow pages.
   */
  private listRowTable(
    table: 'private_api_apis' | 'private_api_callers',
    alias: string,
  ): Knex.Raw | string {
    return this.tableIndexedBy(
      table,
      alias,
      table === 'private_api_apis'
        ? 'private_api_apis_list_row_idx'
        : 'private_api_callers_row_idx',
    );
  }

  /** `table as alias`, read through `index` on SQLite (which has no statistics to choose by). */
  private tableIndexedBy(
    table: string,
    alias: string,
    index: string,
  ): Knex.Raw | string {
    if (this.isPostgres) return `${table} as ${alias}`;
    return this.db.raw('?? as ?? indexed by ??', [table, alias, index]);
  }

  /**
   * The keys and names of the first `rows` APIs (by name, from `position` on) that the
   * filters match and one of the endpoints may call: for each endpoint, the reverse index's
   * rows naming it with each admitting verdict, and the APIs open to endpoints they do not
   * name, each read in name order and only as far as the page goes (see
   * 20261126_s6_reach_by_name), then merged. Linear in the page, where gathering the matches
   * first is linear in what the endpoints may call: as much as the whole Region for an
   * endpoint that every policy lets in.
   *
   * `withAdmission`, for one endpoint: each row also says how the endpoint gets in (`adm_*`:
   * the reverse index's row naming it, or the API's row for endpoints it does not name), so
   * that the page needs no look-up of those rows per API.
   */
  private reachablePageByName(
    filtered: Knex.QueryBuilder,
    narrowed: boolean,
    endpoints: Array<{ vpcEndpointId: string; region: string }>,
    order: 'asc' | 'desc',
    position: SortPosition | undefined,
    rows: number,
    withAdmission: boolean,
  ): Knex.QueryBuilder {
    const db = this.db;
    const arms: Knex.QueryBuilder[] = [];
    const admission = (alias: string) =>
      withAdmission
        ? [
            `${alias}.caller as adm_caller`,
            `${alias}.verdict as adm_verdict`,
            `${alias}.principals as adm_principals`,
            `${alias}.reason as adm_reason`,
          ]
        : [];
    const inNameOrder = (
      arm: Knex.QueryBuilder,
      nameColumn: string,
      keyColumn: string,
    ) => {
      if (position) {
        whereAfter(
          arm,
          [{ sql: nameColumn }],
          position.values,
          position.key,
          order,
          this.isPostgres,
          keyColumn,
        );
      }
      arm
        .select(`${keyColumn} as page_key`, `${nameColumn} as page_s0`)
        .orderBy([
          { column: nameColumn, order },
          { column: keyColumn, order },
        ])
        .limit(rows);
      // Wrapped, as SQLite takes no ORDER BY or LIMIT in an arm of a UNION.
      arms.push(db.select('*').from(arm.as(`k${arms.length}`)));
    };
    const distinct = new Map(endpoints.map(e => [e.vpcEndpointId, e]));
    for (const { vpcEndpointId, region } of distinct.values()) {
      for (const verdict of ADMITTED) {
        const named = this.tableIndexedBy(
          'private_api_callers',
          'c',
          'private_api_callers_reach_cost_idx',
        );
        // An API has rows only while it is a private REST API of the inventory (the store
        // keeps it so: writeApi, writeIndexEntries, deleteApiRows), so its own row is read
        // only for the filters' columns.
        const arm: Knex.QueryBuilder = narrowed
          ? filtered
              .clone()
              .from(this.listRowTable('private_api_apis', 'a'))
              .join(named, 'c.target_key', 'a.api_key')
          : db.queryBuilder().from(named);
        inNameOrder(
          arm
            .where({
              'c.caller': vpcEndpointId,
              'c.region': region,
              'c.target_kind': 'api',
              'c.verdict': verdict,
            })
            .select(admission('c')),
          'c.target_name',
          'c.target_key',
        );
      }
      inNameOrder(
        filtered
          .clone()
          .from(
            this.tableIndexedBy(
              'private_api_apis',
              'a',
              'private_api_apis_open_name_idx',
            ),
          )
          .where({
            'a.region': region,
            'a.caller_access': 'any',
            'a.endpoint_type': 'PRIVATE',
          })
          .whereNotExists(
            db('private_api_callers as d')
              .select(db.raw('1'))
              .whereRaw('d.target_key = a.api_key')
              .where('d.caller', vpcEndpointId),
          )
          .modify(arm => {
            if (!withAdmission) return;
            // The API's row for endpoints its policy does not name: it lets them in.
            arm
              .leftJoin(this.listRowTable('private_api_callers', 'n'), join =>
                join
                  .on('n.target_key', 'a.api_key')
                  .andOnVal('n.caller', UNNAMED_CALLER),
              )
              .select(admission('n'));
          }),
        'a.name',
        'a.api_key',
      );
    }
    const [first, ...rest] = arms;
    return db
      .select(
        'page_key',
        'page_s0',
        ...(withAdmission
          ? ['adm_caller', 'adm_verdict', 'adm_principals', 'adm_reason']
          : []),
      )
      .from(first.union(rest).as('u'))
      .orderBy([
        { column: 'page_s0', order },
        { column: 'page_key', order },
      ]);
  }

  /**
   * A page after a keyset position on SQLite, which does not seek to a row value: one exact
   * range of the sort's index per sort column (the rows with the first i values equal and
   * the next one beyond the cursor's), each at most a page long, in one statement. Spelled
   * as one condition, the page walks the index from the start of the run of equal first
   * values (one account, one rank of allowed callers, one API type) to the cursor: linear in
   * the run, which grows with N. By name, runs are a few APIs long: see {@link whereAfter}.
   */
  private pageAfterOnSqlite(
    query: Knex.QueryBuilder,
    pageStep: (q: Knex.QueryBuilder) => Knex.QueryBuilder,
    columns: Array<{ sql: string }>,
    position: { values: Array<string | number>; key: string },
    order: 'asc' | 'desc',
  ): Knex.QueryBuilder {
    const beyond = order === 'asc' ? '>' : '<';
    const exprs = [...columns.map(c => c.sql), 'a.api_key'];
    const bound = [...position.values, position.key];
    const arms = exprs.map((expr, i) => {
      const arm = pageStep(query.clone());
      for (let j = 0; j < i; j++) arm.whereRaw(`${exprs[j]} = ?`, [bound[j]]);
      arm.whereRaw(`${expr} ${beyond} ?`, [bound[i]]);
      return this.db.select('*').from(arm.as(`k${i}`));
    });
    const [first, ...rest] = arms;
    return this.db
      .select('*')
      .from(first.unionAll(rest).as('u'))
      .orderBy([
        ...columns.map((_, i) => ({ column: `u.page_s${i}`, order })),
        { column: 'u.page_key', order },
      ]);
  }

  private async listPage(
    filter: ApiListFilter,
    withReach: boolean,
  ): Promise<ApiPage & { reach?: Map<string, ReachFacts> }> {
    const query = this.db('private_api_apis as a');
    if (filter.accountId) query.where('a.account_id', filter.accountId);
    if (filter.region) query.where('a.region', filter.region);
    if (filter.apiType) query.where('a.api_type', filter.apiType);
    if (filter.endpointType)
      query.where('a.endpoint_type', filter.endpointType);
    if (filter.owner) query.where('a.owner_ref', ownerEntityRef(filter.owner));
    if (filter.authorization) {
      // A comma-separated list: match one whole entry.
      query.whereRaw(`(',' || a.authorization_types || ',') like ?`, [
        `%,${filter.authorization},%`,
      ]);
    }
    if (filter.noPolicy) query.where('a.has_policy', false);
    if (filter.openToAnyEndpoint) query.where('a.caller_access', 'any');
    if (filter.crossAccount) query.where('a.cross_account', true);
    if (filter.stale) {
      const stale = await this.db('private_api_scopes')
        .where({ status: 'stale' })
        .select('account_id', 'region');
      if (stale.length === 0) return { items: [], totalCount: 0 };
      query.where(q => {
        for (const sc of stale) {
          q.orWhere({ 'a.account_id': sc.account_id, 'a.region': sc.region });
        }
      });
    }
    if (filter.text) {
      const words = queryWords(filter.text);
      if (words.length === 0) return { items: [], totalCount: 0 };
      if (this.isPostgres) {
        query.whereRaw(
          `to_tsvector('simple', coalesce(a.search_text, '')) @@ to_tsquery('simple', ?)`,
          [tsQuery(words)],
        );
      } else {
        // By the documents' rowids, which the match gives without reading the documents
        // (see 20261126_s6_search_by_rowid).
        query.whereRaw(
          'a.search_rowid in (select rowid from private_api_search where private_api_search match ?)',
          [fts5Query(words)],
        );
      }
    }
    // The filters alone: a page of a `reachableFrom` list by name starts from them.
    const filtered = query.clone();
    // Whether any filter narrows the APIs (a condition on their rows): without one, what a
    // caller may call is read from the reverse index without the APIs' rows.
    const narrowed = filtered.toSQL().sql.includes(' where ');
    if (filter.reachableFrom) this.whereReachable(query, filter.reachableFrom);
    /** The count and totals of every match. */
    const totalsOfMatches = () =>
      filter.reachableFrom && !narrowed
        ? this.reachableTotals(filter.reachableFrom)
        : matchTotals(query);
    /** The count of every match. */
    const countOfMatches = async () =>
      filter.reachableFrom && !narrowed
        ? (await this.reachableTotals(filter.reachableFrom)).totalCount
        : Number((await query.clone().count({ count: '*' }))[0].count);

    const limit = filter.limit ?? 100;
    const offset = filter.after ? 0 : filter.offset ?? 0;
    const sort = filter.sort ?? 'name';
    const order = filter.order ?? 'asc';
    const sortColumns = SORT_COLUMNS[sort];
    // `totals` asks for the count and the cost total apart from the page (an aggregate of
    // the matches); without it, a first page counts by default, as before sorts existed.
    const wantCount =
      filter.totals === undefined ? filter.count ?? !filter.after : false;
    // A `reachableFrom` page by name reads the reverse index in name order, up to the page.
    const reachableByName = !!filter.reachableFrom && sort === 'name';
    // How the caller's endpoints get into each API shown: for one endpoint, read with the
    // page by name; otherwise looked up per API and endpoint below.
    const callerEndpoints = [
      ...new Set((filter.reachableFrom ?? []).map(e => e.vpcEndpointId)),
    ];
    const admissionInPage =
      withReach && reachableByName && callerEndpoints.length === 1;
    // Without a cursor the statement that sorts the matches also counts them (a window
    // count), so a first page walks its matches once, not once more for a count; a
    // `reachableFrom` page by name never walks them all, and counts them apart.
    const countInPage = wantCount && !filter.after && !reachableByName;
    if (limit === 0) {
      // Only the count, or the totals (the explorer asks them apart from its pages): no
      // page to sort and read.
      const reach = withReach ? { reach: new Map<string, ReachFacts>() } : {};
      if (matchesWholeScopes(filter) && (filter.totals || wantCount)) {
        const totals = await this.scopeTotals(filter);
        return {
          items: [],
          ...(filter.totals ? totals : { totalCount: totals.totalCount }),
          ...reach,
        };
      }
      if (filter.totals) {
        return { items: [], ...(await totalsOfMatches()), ...reach };
      }
      if (!wantCount) return { items: [], ...reach };
      return { items: [], totalCount: await countOfMatches(), ...reach };
    }
    // The page's keys in order first (sort values and key only, so sorting many matches of
    // a search or a caller does not carry their wide rows; each order has its index, see
    // 20261126_h40_explorer_sorts), then the columns of those rows, in one statement. On
    // SQLite the second step reads one index, private_api_apis_list_row_idx, and never the
    // rows behind it (see its migration, 20261126_s5_list_row_index).
    const pageStep = (q: Knex.QueryBuilder) => {
      q.select('a.api_key as page_key')
        .select(
          sortColumns.map((c, i) => this.db.raw(`${c.sql} as page_s${i}`)),
        )
        .orderBy([
          ...sortColumns.map(c => ({ column: this.db.raw(c.sql), order })),
          { column: 'a.api_key', order },
        ] as any)
        .limit(limit + 1)
        .offset(offset);
      return q;
    };
    let page: Knex.QueryBuilder;
    const position = filter.after
      ? decodeSortCursor(filter.after, sort, order)
      : undefined;
    if (filter.reachableFrom && reachableByName) {
      page = this.reachablePageByName(
        filtered,
        narrowed,
        filter.reachableFrom,
        order,
        position,
        offset + limit + 1,
        admissionInPage,
      )
        .limit(limit + 1)
        .offset(offset);
    } else if (position && !this.isPostgres && sort !== 'name') {
      page = this.pageAfterOnSqlite(
        query,
        pageStep,
        sortColumns,
        position,
        order,
      );
      page.limit(limit + 1);
    } else {
      page = pageStep(query.clone());
      if (position) {
        whereAfter(
          page,
          sortColumns,
          position.values,
          position.key,
          order,
          this.isPostgres,
        );
      }
    }
    if (countInPage) page.select(this.db.raw('count(*) over () as page_total'));
    const rowsQuery = this.db
      .from(page.as('p'))
      .join(
        this.listRowTable('private_api_apis', 'r'),
        'r.api_key',
        'p.page_key',
      )
      .select(
        'r.api_key',
        'r.account_id',
        'r.region',
        'r.api_id',
        'r.name',
        'r.api_type',
        'r.endpoint_type',
        'r.tags',
        'r.authorization_types',
        'r.allowed_vpc_count',
        'r.monthly_cost_usd',
        'r.caller_access',
        'r.cross_account',
        'r.has_policy',
        'r.owner_ref',
      )
      // The account's name and whether its scope is stale, from the scope's row.
      .leftJoin('private_api_scopes as s', join =>
        join.on('s.account_id', 'r.account_id').andOn('s.region', 'r.region'),
      )
      .select('s.account_name', 's.status as scope_status')
      .select(sortColumns.map((_, i) => `p.page_s${i}`))
      .orderBy([
        ...sortColumns.map((_, i) => ({ column: `p.page_s${i}`, order })),
        { column: 'p.page_key', order },
      ]);
    if (countInPage) rowsQuery.select('p.page_total');
    // How each of the caller's endpoints gets in, and endpoints the policy does not name:
    // one look-up per endpoint and API in the reverse index's key, in the same statement
    // (a caller is an endpoint, or the few execute-api endpoints of one VPC).
    const callers =
      withReach && !admissionInPage ? [UNNAMED_CALLER, ...callerEndpoints] : [];
    if (withReach) {
      rowsQuery.select(
        'r.aws_partition',
        'r.vpc_endpoint_ids',
        'r.disable_execute_api_endpoint',
        'r.first_stage',
      );
      if (admissionInPage) {
        rowsQuery.select(
          'p.adm_caller',
          'p.adm_verdict',
          'p.adm_principals',
          'p.adm_reason',
        );
      }
      callers.forEach((caller, i) => {
        rowsQuery
          .leftJoin(this.listRowTable('private_api_callers', `c${i}`), join =>
            join
              .on(`c${i}.target_key`, 'r.api_key')
              .andOnVal(`c${i}.caller`, caller),
          )
          .select(
            `c${i}.verdict as c${i}_verdict`,
            `c${i}.principals as c${i}_principals`,
            `c${i}.reason as c${i}_reason`,
          );
      });
    }
    const rows = await rowsQuery;
    let totalCount: number | undefined;
    if (countInPage && rows.length > 0) totalCount = Number(rows[0].page_total);
    else if (countInPage && offset === 0) totalCount = 0;
    else if (wantCount) {
      // Past the last match, or a page by cursor that asks for the count.
      totalCount = await countOfMatches();
    }
    const totals = filter.totals ? await totalsOfMatches() : {};
    const more = rows.length > limit;
    const shown = rows.slice(0, limit);
    const last = shown[shown.length - 1];
    return {
      ...(totalCount === undefined ? {} : { totalCount }),
      ...totals,
      ...(more && last
        ? {
            nextCursor: encodeSortCursor(sort, order, {
              values: sortColumns.map((c, i) =>
                c.type === 'number'
                  ? Number(last[`page_s${i}`])
                  : String(last[`page_s${i}`]),
              ),
              key: last.api_key,
            }),
          }
        : {}),
      items: shown.map(row => {
        const tags: Record<string, string> = JSON.parse(row.tags);
        return {
          apiId: row.api_id,
          name: row.name,
          apiType: row.api_type,
          endpointType: row.endpoint_type,
          accountId: row.account_id,
          accountName: row.account_name ?? undefined,
          region: row.region,
          tags,
          stale: row.scope_status === 'stale',
          entityName: apiEntityName({ name: row.name, apiId: row.api_id }),
          authorizationTypes: row.authorization_types
            ? String(row.authorization_types).split(',')
            : [],
          allowedVpcCount: toNumber(row.allowed_vpc_count),
          monthlyCostUsd: toNumber(row.monthly_cost_usd),
          callerAccess: row.caller_access ?? undefined,
          crossAccount: toBoolean(row.cross_account),
          hasPolicy: toBoolean(row.has_policy),
          ...(row.owner_ref ? { owner: row.owner_ref } : {}),
        };
      }),
      ...(withReach
        ? {
            reach: new Map(
              shown.map(row => [
                row.api_key as string,
                {
                  partition: row.aws_partition,
                  vpcEndpointIds: row.vpc_endpoint_ids
                    ? String(row.vpc_endpoint_ids).split(',')
                    : [],
                  disableExecuteApiEndpoint: Boolean(
                    row.disable_execute_api_endpoint,
                  ),
                  firstStage: row.first_stage ?? undefined,
                  admissions: admissionInPage
                    ? admissionOf(row, 'adm_', row.adm_caller)
                    : callers.flatMap((caller, i) =>
                        admissionOf(row, `c${i}_`, caller),
                      ),
                },
              ]),
            ),
          }
        : {}),
    };
  }

  /**
   * The totals of a list whose filters match whole scopes (accounts, Regions, stale ones):
   * the sums of the scopes' rows (see refreshScopeTotals), not an aggregate of their APIs.
   */
  private async scopeTotals(filter: ApiListFilter): Promise<Totals> {
    const scopes = this.db('private_api_scopes');
    if (filter.accountId) scopes.where('account_id', filter.accountId);
    if (filter.region) scopes.where('region', filter.region);
    if (filter.stale) scopes.where('status', 'stale');
    const [row] = await scopes.sum({
      total: 'api_count',
      priced: 'priced_api_count',
      cost: 'monthly_cost_total_usd',
    });
    return {
      totalCount: Number(row.total ?? 0),
      pricedCount: Number(row.priced ?? 0),
      monthlyCostTotalUsd: Number(row.cost ?? 0),
    };
  }

  /** The policy-analysis hash and allowed-VPC count of each API of a scope, by API id. */
  async getPolicyAnalysisHashes(
    accountId: string,
    region: string,
  ): Promise<Map<string, { hash: string; allowedVpcCount?: number }>> {
    const rows = await this.db('private_api_apis')
      .where({ account_id: accountId, region })
      .whereNotNull('policy_analysis_hash')
      .select('api_id', 'policy_analysis_hash', 'allowed_vpc_count');
    return new Map(
      rows.map(r => [
        r.api_id,
        {
          hash: r.policy_analysis_hash,
          allowedVpcCount: toNumber(r.allowed_vpc_count),
        },
      ]),
    );
  }

  /**
   * The answers the crawl stored for one API, as JSON text to send as it is (no parsing on
   * the request path): the detail snapshot, the cost answer and the policy analysis. Undefined when the API is
   * not in the inventory; a field is undefined until a crawl has written it.
   */
  async getStoredAnswers(
    accountId: string,
    region: string,
    apiId: string,
  ): Promise<
    | { detailJson?: string; costJson?: string; policyAnalysisJson?: string }
    | undefined
  > {
    const row = await this.db('private_api_apis')
      .where({ api_key: apiKey(accountId, region, apiId) })
      .first('detail_json', 'cost_json', 'policy_analysis_json');
    if (!row) return undefined;
    return {
      detailJson: row.detail_json ?? undefined,
      costJson: row.cost_json ?? undefined,
      policyAnalysisJson: row.policy_analysis_json ?? undefined,
    };
  }

  /**
   * Private REST APIs whose policy lets calls through one of the endpoints in: a row for the
   * endpoint says so, or the API lets in endpoints it does not name and has no row for it.
   * Driven from the caller index (a union of the two), so the work is proportional to the
   * answer, not to the private APIs of the Region.
   */
  private whereReachable(
    query: Knex.QueryBuilder,
    endpoints: Array<{ vpcEndpointId: string; region: string }>,
  ) {
    if (endpoints.length === 0) {
      query.whereRaw('1 = 0');
      return;
    }
    query
      .whereIn('a.api_key', this.reachableKeys(endpoints, false))
      .where('a.endpoint_type', 'PRIVATE');
  }

  /**
   * The keys of the APIs the endpoints may call (see whereReachable), each once; `withCost`
   * adds each one's monthly cost, which the reverse index's rows carry (see
   * copiedApiColumns), so that totals need not read the APIs' rows behind them.
   */
  private reachableKeys(
    endpoints: Array<{ vpcEndpointId: string; region: string }>,
    withCost: boolean,
  ): Knex.QueryBuilder {
    const db = this.db;
    const distinct = new Map(endpoints.map(e => [e.vpcEndpointId, e]));
    const parts: Knex.QueryBuilder[] = [...distinct.values()].flatMap(e => [
      // Rows naming the endpoint whose verdict admits.
      db
        .queryBuilder()
        .from(
          this.tableIndexedBy(
            'private_api_callers',
            'c',
            'private_api_callers_reach_cost_idx',
          ),
        )
        .select('c.target_key as api_key')
        .select(withCost ? ['c.monthly_cost_usd as cost'] : [])
        .where('c.caller', e.vpcEndpointId)
        .where('c.region', e.region)
        .where('c.target_kind', 'api')
        .whereIn('c.verdict', ADMITTED),
      // APIs open to endpoints they do not name, without a row naming (and so denying) it.
      db('private_api_apis as o')
        .select('o.api_key')
        .select(withCost ? ['o.monthly_cost_usd as cost'] : [])
        .where('o.caller_access', 'any')
        .where('o.region', e.region)
        .where('o.endpoint_type', 'PRIVATE')
        .whereNotExists(
          db('private_api_callers as d')
            .select(db.raw('1'))
            .whereRaw('d.target_key = o.api_key')
            .where('d.caller', e.vpcEndpointId),
        ),
    ]);
    const [first, ...rest] = parts;
    // From one endpoint the two parts are disjoint and each names an API once (one row per
    // API and caller): nothing to take out twice, which for many matches is most of the work.
    return distinct.size === 1 ? first.unionAll(rest) : first.union(rest);
  }

  /**
   * The count and cost totals of what the endpoints may call, with no other filter: read
   * from the reverse index's rows and the open APIs' rows, without the API's row behind each
   * row naming an endpoint (see 20261126_s7_reach_cost). Linear in the matches.
   */
  private async reachableTotals(
    endpoints: Array<{ vpcEndpointId: string; region: string }>,
  ): Promise<Totals> {
    if (endpoints.length === 0) {
      return { totalCount: 0, pricedCount: 0, monthlyCostTotalUsd: 0 };
    }
    return sumOfCosts(
      this.db.from(this.reachableKeys(endpoints, true).as('u')),
      'u.cost',
    );
  }

  /** One API with everything stored about it, or undefined. */
  async getApi(
    accountId: string,
    region: string,
    apiId: string,
  ): Promise<ApiRecord | undefined> {
    const key = apiKey(accountId, region, apiId);
    const row = await this.db('private_api_apis')
      .where({ api_key: key })
      .first();
    if (!row) return undefined;
    const [records] = await this.assemble([row]);
    return records;
  }

  /**
   * One page of a scope's APIs, fully assembled, with their exported definitions: what the
   * catalog module turns into entities, a page at a time so big accounts fit in memory.
   */
  async listScopeApis(
    accountId: string,
    region: string,
    page: { limit: number; offset: number },
  ): Promise<Array<{ api: ApiRecord; definition?: string }>> {
    const rows = await this.db('private_api_apis')
      .where({ account_id: accountId, region })
      .orderBy('api_key')
      .limit(page.limit)
      .offset(page.offset);
    return this.withDefinitions(rows);
  }

  private async withDefinitions(
    rows: Array<Record<string, any>>,
  ): Promise<Array<{ api: ApiRecord; definition?: string }>> {
    if (rows.length === 0) return [];
    const apis = await this.assemble(rows);
    const definitions = new Map<string, string>(
      (
        await this.db('private_api_definitions')
          .whereIn(
            'api_key',
            rows.map(r => r.api_key),
          )
          .select('api_key', 'content')
      ).map(d => [d.api_key, d.content]),
    );
    return apis.map(api => ({
      api,
      definition: definitions.get(apiKey(api.accountId, api.region, api.apiId)),
    }));
  }

  /**
   * APIs of a scope that completed crawls changed after generation `since` up to
   * `through`, a page at a time in key order (`after` is the last key of the previous
   * page), with their definitions: the catalog module's delta.
   */
  async listScopeApiChanges(
    accountId: string,
    region: string,
    window: { since: number; through: number; after?: string; limit: number },
  ): Promise<{
    items: Array<{ api: ApiRecord; definition?: string }>;
    next?: string;
  }> {
    const rows = await this.db('private_api_apis')
      .where({ account_id: accountId, region })
      .where('changed_generation', '>', window.since)
      .where('changed_generation', '<=', window.through)
      .modify(q => {
        if (window.after) q.where('api_key', '>', window.after);
      })
      .orderBy('api_key')
      .limit(window.limit);
    const items = await this.withDefinitions(rows);
    return {
      items,
      next:
        rows.length === window.limit
          ? rows[rows.length - 1].api_key
          : undefined,
    };
  }

  /** Entity names of the APIs removed (or renamed) in generations (`since`, `through`]. */
  async listRemovedEntityNames(
    accountId: string,
    region: string,
    window: { since: number; through: number },
  ): Promise<string[]> {
    const rows = await this.db('private_api_removed_apis')
      .where({ account_id: accountId, region })
      .where('generation', '>', window.since)
      .where('generation', '<=', window.through)
      .orderBy('entity_name')
      .select('entity_name');
    return rows.map(r => r.entity_name);
  }

  async getDefinition(
    accountId: string,
    region: string,
    apiId: string,
  ): Promise<{ stageName?: string; content: string } | undefined> {
    const row = await this.db('private_api_definitions')
      .where({ api_key: apiKey(accountId, region, apiId) })
      .first();
    return row
      ? { stageName: row.stage_name ?? undefined, content: row.content }
      : undefined;
  }

  /** The VPC-link integrations of a scope, to resolve the load balancers behind the links. */
  async listVpcLinkIntegrations(
    accountId: string,
    region: string,
  ): Promise<IntegrationRecord[]> {
    const rows = await this.db('private_api_integrations as i')
      .join('private_api_apis as a', 'a.api_key', 'i.api_key')
      .where({
        'a.account_id': accountId,
        'a.region': region,
        'i.connection_type': 'VPC_LINK',
      })
      .select('i.data');
    return rows.map(r => JSON.parse(r.data));
  }

  /** For each VPC endpoint id, the private APIs associated with it (Route 53 alias). */
  async listEndpointAssociations(): Promise<
    Map<
      string,
      Array<{ accountId: string; region: string; apiId: string; name: string }>
    >
  > {
    const rows = await this.db('private_api_apis')
      .where({ endpoint_type: 'PRIVATE' })
      .select('record');
    const byEndpoint = new Map<
      string,
      Array<{ accountId: string; region: string; apiId: string; name: string }>
    >();
    for (const row of rows) {
      const api = JSON.parse(row.record) as TopLevelRecord;
      for (const id of api.vpcEndpointIds) {
        const list = byEndpoint.get(id) ?? [];
        list.push({
          accountId: api.accountId,
          region: api.region,
          apiId: api.apiId,
          name: api.name,
        });
        byEndpoint.set(id, list);
      }
    }
    return byEndpoint;
  }

  async listVpcEndpoints(
    filter: { vpcId?: string; vpcEndpointId?: string; region?: string } = {},
  ): Promise<VpcEndpointRecord[]> {
    const query = this.db('private_api_vpc_endpoints').orderBy(
      'vpc_endpoint_id',
    );
    if (filter.vpcId) query.where('vpc_id', filter.vpcId);
    if (filter.vpcEndpointId)
      query.where('vpc_endpoint_id', filter.vpcEndpointId);
    if (filter.region) query.where('region', filter.region);
    return (await query.select('data')).map(r => JSON.parse(r.data));
  }

  async listVpcs(): Promise<VpcRecord[]> {
    return (
      await this.db('private_api_vpcs').orderBy('vpc_id').select('data')
    ).map(r => JSON.parse(r.data));
  }

  async listAccounts(): Promise<AccountRecord[]> {
    const rows = await this.db('private_api_scopes')
      .distinct('account_id', 'account_name')
      .orderBy('account_id');
    const byId = new Map<string, AccountRecord>();
    for (const row of rows) {
      const existing = byId.get(row.account_id);
      if (!existing || (!existing.name && row.account_name)) {
        byId.set(row.account_id, {
          accountId: row.account_id,
          name: row.account_name ?? undefined,
        });
      }
    }
    return [...byId.values()];
  }

  /** Every account, VPC endpoint and VPC: what answers about one API need besides it. */
  async getEstateContext(): Promise<EstateContext> {
    const [accounts, vpcEndpoints, vpcs] = await Promise.all([
      this.listAccounts(),
      this.listVpcEndpoints(),
      this.listVpcs(),
    ]);
    return { accounts, vpcEndpoints, vpcs };
  }

  // ---------------------------------------------------------------- estate index

  /** The endpoints hash the Region's stored reverse index was computed with. */
  async getIndexedEndpointsHash(region: string): Promise<string | undefined> {
    const row = await this.db('private_api_index_state')
      .where({ region })
      .first('endpoints_hash');
    return row?.endpoints_hash;
  }

  async setIndexedEndpointsHash(region: string, hash: string): Promise<void> {
    await this.db('private_api_index_state')
      .insert({ region, endpoints_hash: hash })
      .onConflict('region')
      .merge();
  }

  /** The accounts with APIs or domains in the Region, and `also`. */
  async listIndexedAccounts(region: string, also: string): Promise<string[]> {
    const rows = await this.db('private_api_scopes')
      .where({ region })
      .distinct('account_id');
    return [...new Set([also, ...rows.map(r => r.account_id as string)])];
  }

  /** Stores recomputed index entries: the summary columns, the caller rows, the search document. */
  async writeIndexEntries(entries: ApiIndexEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await transactionRetryingDeadlocks(this.db, async tx => {
      const searchRowids = this.isPostgres
        ? new Map<string, number>()
        : await this.replaceSearchDocuments(tx, entries);
      for (const e of entries) {
        await tx('private_api_apis')
          .where({ api_key: e.apiKey })
          .update({
            callers_hash: e.hash,
            callers_endpoints_hash: e.endpointsHash,
            caller_access: e.callerAccess ?? null,
            cross_account: e.crossAccount,
            has_policy: e.hasPolicy,
            tags: JSON.stringify(e.tags),
            search_text: e.searchText,
            ...(this.isPostgres
              ? {}
              : { search_rowid: searchRowids.get(e.apiKey) }),
          });
      }
      const keys = entries.map(e => e.apiKey);
      for (let i = 0; i < keys.length; i += INSERT_CHUNK) {
        const chunk = keys.slice(i, i + INSERT_CHUNK);
        await tx('private_api_callers').whereIn('target_key', chunk).delete();
      }
      await this.insertChunked(
        tx,
        'private_api_callers',
        entries.flatMap(e => e.callers).map(callerRowValues),
      );
      // As this transaction sees the APIs' rows (each locked by the update above): rows only
      // for APIs still private REST APIs of the inventory (see reachablePageByName), each with
      // its API's name and cost (see copiedApiColumns).
      for (let i = 0; i < keys.length; i += INSERT_CHUNK) {
        const chunk = keys.slice(i, i + INSERT_CHUNK);
        await whereNotOfPrivateRestApi(
          tx,
          tx('private_api_callers').whereIn('target_key', chunk),
        ).delete();
        await tx('private_api_callers')
          .whereIn('target_key', chunk)
          .update(copiedApiColumns(tx));
      }
    });
  }

  /** Records that an API's unchanged index entry holds for the Region's endpoints `endpointsHash`. */
  async stampIndexEntry(key: string, endpointsHash: string): Promise<void> {
    await this.db('private_api_apis')
      .where({ api_key: key })
      .update({ callers_endpoints_hash: endpointsHash });
  }

  /**
   * SQLite: writes the APIs' search documents anew in the FTS5 table, each under the rowid it
   * had (a new one for an API without one), and returns the rowids by API key. The FTS5
   * table cannot look rows up by api_key, so old documents are deleted by rowid.
   */
  private async replaceSearchDocuments(
    tx: Knex.Transaction,
    entries: ApiIndexEntry[],
  ): Promise<Map<string, number>> {
    const rowids = new Map<string, number>();
    const keys = entries.map(e => e.apiKey);
    for (let i = 0; i < keys.length; i += INSERT_CHUNK) {
      const rows = await tx('private_api_apis')
        .whereIn('api_key', keys.slice(i, i + INSERT_CHUNK))
        .whereNotNull('search_rowid')
        .select('api_key', 'search_rowid');
      for (const r of rows) rowids.set(r.api_key, Number(r.search_rowid));
    }
    const stored = [...rowids.values()];
    for (let i = 0; i < stored.length; i += INSERT_CHUNK) {
      await tx('private_api_search')
        .whereIn('rowid', stored.slice(i, i + INSERT_CHUNK))
        .delete();
    }
    // One writer at a time on SQLite: no other transaction takes these rowids meanwhile.
    let next =
      Number(
        (await tx('private_api_search').max({ max: 'rowid' }))[0].max ?? 0,
      ) + 1;
    for (const key of keys) if (!rowids.has(key)) rowids.set(key, next++);
    await this.insertChunked(
      tx,
      'private_api_search',
      entries.map(e => ({
        rowid: rowids.get(e.apiKey),
        api_key: e.apiKey,
        body: e.searchText,
      })),
    );
    return rowids;
  }

  /** The private custom domains of a scope. */
  async listDomains(
    accountId: string,
    region: string,
  ): Promise<DomainRecord[]> {
    return (
      await this.db('private_api_domains')
        .where({ account_id: accountId, region })
        .orderBy('domain_name')
        .select('data')
    ).map(r => JSON.parse(r.data));
  }

  /** Replaces the reverse index rows of a scope's custom domains. */
  async replaceDomainCallers(
    accountId: string,
    region: string,
    rows: CallerRow[],
  ): Promise<void> {
    await transactionRetryingDeadlocks(this.db, async tx => {
      await tx('private_api_callers')
        .where({ target_kind: 'domain', region })
        .where('target_key', 'like', `domain:${accountId}:${region}:%`)
        .delete();
      await this.insertChunked(
        tx,
        'private_api_callers',
        rows.map(callerRowValues),
      );
    });
  }

  /**
   * Deletes index rows of APIs that are gone from the Region or no longer private REST APIs:
   * the writes that remove or change them delete their rows already; this keeps the index
   * right whatever wrote it.
   */
  async pruneIndex(region: string): Promise<void> {
    const db = this.db;
    await whereNotOfPrivateRestApi(
      db,
      db('private_api_callers').where({ region, target_kind: 'api' }),
    ).delete();
    if (!this.isPostgres) {
      // Documents of APIs that are gone, and any an API no longer points at.
      await db.raw(
        'delete from private_api_search where rowid not in (select search_rowid from private_api_apis where search_rowid is not null)',
      );
    }
  }

  /**
   * The VPC endpoints of the estate whose calls an API's policy lets in (anonymous or signed,
   * with the principals named), and the answer for endpoints it does not name. Undefined when
   * the API is not in the inventory; `unnamed` undefined when the API is not a private REST
   * API (its policy decides nothing about VPC endpoints) or is not indexed yet.
   */
  async listAdmittedCallers(
    accountId: string,
    region: string,
    apiId: string,
  ): Promise<
    | {
        unnamed?: Omit<
          CallerRow,
          'targetKey' | 'targetKind' | 'region' | 'caller'
        >;
        items: Array<
          VpcEndpointRecord & {
            verdict: 'allowed' | 'signed-only';
            principals: string[];
            reason: string;
          }
        >;
      }
    | undefined
  > {
    const key = apiKey(accountId, region, apiId);
    const api = await this.db('private_api_apis')
      .where({ api_key: key })
      .first('api_key');
    if (!api) return undefined;
    const rows = await this.db('private_api_callers').where({
      target_key: key,
    });
    const star = rows.find(r => r.caller === UNNAMED_CALLER);
    if (!star) return { items: [] };
    const byCaller = new Map(rows.map(r => [r.caller as string, r]));
    const endpoints = await this.listVpcEndpoints({ region });
    const items = endpoints.flatMap(endpoint => {
      const row = byCaller.get(endpoint.vpcEndpointId) ?? star;
      if (!ADMITTED.includes(row.verdict)) return [];
      return [
        {
          ...endpoint,
          verdict: row.verdict,
          principals: splitLines(row.principals),
          reason: row.reason,
        },
      ];
    });
    return {
      unnamed: {
        verdict: star.verdict,
        principals: splitLines(star.principals),
        reason: star.reason,
      },
      items,
    };
  }

  /**
   * The execute-api endpoints a caller stands for (one endpoint, or every one of a VPC), each
   * with the keys of the private custom domains that let it in: one statement, as every
   * `reachableFrom` request asks it first.
   */
  async callerEndpoints(
    caller: { vpcEndpointId: string } | { vpcId: string },
  ): Promise<Array<{ endpoint: VpcEndpointRecord; domainKeys: string[] }>> {
    const rows = await this.db('private_api_vpc_endpoints as e')
      .where(
        'vpcEndpointId' in caller
          ? { 'e.vpc_endpoint_id': caller.vpcEndpointId }
          : { 'e.vpc_id': caller.vpcId },
      )
      .leftJoin('private_api_callers as d', join =>
        join
          .on('d.caller', 'e.vpc_endpoint_id')
          .andOn('d.region', 'e.region')
          .andOnVal('d.target_kind', 'domain')
          .andOnVal('d.verdict', 'allowed'),
      )
      .orderBy('e.vpc_endpoint_id')
      .select('e.vpc_endpoint_id', 'e.data', 'd.target_key');
    const byId = new Map<
      string,
      { endpoint: VpcEndpointRecord; domainKeys: string[] }
    >();
    for (const row of rows) {
      let entry = byId.get(row.vpc_endpoint_id);
      if (!entry) {
        entry = { endpoint: JSON.parse(row.data), domainKeys: [] };
        byId.set(row.vpc_endpoint_id, entry);
      }
      if (row.target_key) entry.domainKeys.push(row.target_key);
    }
    return [...byId.values()];
  }

  /** The private custom domains that let one of the endpoints in, with the endpoint. */
  async admittingDomains(
    endpoints: string[],
  ): Promise<Array<{ caller: string; domain: DomainRecord }>> {
    if (endpoints.length === 0) return [];
    const rows = await this.db('private_api_callers')
      .where({ target_kind: 'domain', verdict: 'allowed' })
      .whereIn('caller', endpoints)
      .select('target_key', 'caller');
    return this.domainsByKey(
      rows.map(r => ({ caller: r.caller, domainKey: r.target_key })),
    );
  }

  /** The domains of reverse-index keys (see domainTargetKey), read only when there are some. */
  async domainsByKey(
    keys: Array<{ caller: string; domainKey: string }>,
  ): Promise<Array<{ caller: string; domain: DomainRecord }>> {
    if (keys.length === 0) return [];
    const ids = [...new Set(keys.map(k => k.domainKey))].map(key => {
      // domain:{account}:{region}:{name}, a name having no colon.
      const [, accountId, region, ...name] = key.split(':');
      return [accountId, region, name.join(':')];
    });
    const rows = await this.db('private_api_domains')
      .whereIn(['account_id', 'region', 'domain_name'], ids)
      .select('account_id', 'region', 'domain_name', 'data');
    const byKey = new Map<string, DomainRecord>(
      rows.map(d => [
        `domain:${d.account_id}:${d.region}:${d.domain_name}`,
        JSON.parse(d.data),
      ]),
    );
    return keys.flatMap(k => {
      const domain = byKey.get(k.domainKey);
      return domain ? [{ caller: k.caller, domain }] : [];
    });
  }

  /** Every private API whose policy lets calls through the endpoint in (the reverse index). */
  async listAdmittedApis(endpoint: {
    vpcEndpointId: string;
    region: string;
  }): Promise<
    Array<{ accountId: string; region: string; apiId: string; name: string }>
  > {
    const result: Array<{
      accountId: string;
      region: string;
      apiId: string;
      name: string;
    }> = [];
    let after: string | undefined;
    do {
      const page = await this.listApis({
        reachableFrom: [endpoint],
        count: false,
        limit: 1000,
        after,
      });
      for (const a of page.items) {
        result.push({
          accountId: a.accountId,
          region: a.region,
          apiId: a.apiId,
          name: a.name,
        });
      }
      after = page.nextCursor;
    } while (after);
    return result;
  }

  // ---------------------------------------------------------------- internals

  private async assemble(
    rows: Array<Record<string, any>>,
  ): Promise<ApiRecord[]> {
    const keys = rows.map(r => r.api_key as string);
    const childrenOf = async (table: string) => {
      const byKey = new Map<string, any[]>();
      const children = await this.db(table)
        .whereIn('api_key', keys)
        .select('api_key', 'data');
      for (const child of children) {
        const list = byKey.get(child.api_key) ?? [];
        list.push(JSON.parse(child.data));
        byKey.set(child.api_key, list);
      }
      return byKey;
    };
    const [stages, routes, authorizers, integrations] = await Promise.all(
      CHILD_TABLES.map(childrenOf),
    );
    const traffic = await this.trafficOf(keys);
    const scopes = [
      ...new Set(rows.map(r => `${r.account_id}\u0000${r.region}`)),
    ].map(s => {
      const [account_id, region] = s.split('\u0000');
      return { account_id, region };
    });
    const vpcLinks: Array<VpcLinkRecord & { scope: string }> = [];
    const domains: Array<DomainRecord> = [];
    for (const scope of scopes) {
      const scopeKey = `${scope.account_id}:${scope.region}`;
      for (const l of await this.db('private_api_vpc_links')
        .where(scope)
        .select('data')) {
        vpcLinks.push({ ...JSON.parse(l.data), scope: scopeKey });
      }
      for (const d of await this.db('private_api_domains')
        .where(scope)
        .select('data')) {
        domains.push(JSON.parse(d.data));
      }
    }

    return rows.map(row => {
      const top = JSON.parse(row.record) as TopLevelRecord;
      const key = row.api_key as string;
      const apiIntegrations = integrations.get(key) ?? [];
      const usedLinkIds = new Set(
        apiIntegrations.map(i => i.connectionId).filter(Boolean),
      );
      const scopeKey = `${top.accountId}:${top.region}`;
      return {
        ...top,
        stages: (stages.get(key) ?? []).sort((a, b) =>
          a.stageName.localeCompare(b.stageName),
        ),
        routes: (routes.get(key) ?? []).sort((a, b) =>
          a.routeKey.localeCompare(b.routeKey),
        ),
        authorizers: authorizers.get(key) ?? [],
        integrations: apiIntegrations,
        vpcLinks: vpcLinks
          .filter(l => l.scope === scopeKey && usedLinkIds.has(l.id))
          .map(({ scope: _scope, ...link }) => link),
        domains: domains.filter(
          d =>
            d.accountId === top.accountId &&
            d.region === top.region &&
            d.mappings.some(m => m.apiId === top.apiId),
        ),
        traffic: traffic.get(key),
      };
    });
  }

  private async trafficOf(keys: string[]): Promise<Map<string, TrafficRecord>> {
    const rows = await this.db('private_api_traffic')
      .whereIn('api_key', keys)
      .orderBy(['api_key', 'day']);
    const byKey = new Map<string, TrafficRecord>();
    for (const row of rows) {
      const record = byKey.get(row.api_key) ?? {
        periodDays: 0,
        total: 0,
        daily: [],
      };
      const count = Number(row.count);
      record.daily.push({ date: row.day, count });
      record.total += count;
      record.periodDays = record.daily.length;
      if (row.connect_count !== null && row.connect_count !== undefined) {
        record.connectCount = Number(row.connect_count);
      }
      byKey.set(row.api_key, record);
    }
    return byKey;
  }

  private async insertChunked(
    tx: Knex.Transaction,
    table: string,
    rows: Record<string, unknown>[],
    /** Replace rows with the same values in these columns. */
    mergeOn?: string[],
  ) {
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      const insert = tx(table).insert(rows.slice(i, i + INSERT_CHUNK));
      await (mergeOn ? insert.onConflict(mergeOn).merge() : insert);
    }
  }
}
