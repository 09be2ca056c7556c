import { GetRestApiCommand } from '@aws-sdk/client-api-gateway';
import { LoggerService } from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import { Config } from '@backstage/config';
import pLimit from 'p-limit';
import { randomUUID } from 'node:crypto';
import type {
  IntegrationRecord,
  PriceBook,
  SharedCostTotals,
  VpcLinkRecord,
} from '@private-api-catalog/plugin-private-api-common';
import type { PrivateApiConfig } from '../config/config';
import { resolveAccounts, DiscoveryAccount } from '../aws/accounts';
import { AwsClientFactory, ScopeClients } from '../aws/clients';
import { adviceFor, describeAwsError } from '../aws/errors';
import { InventoryStore } from '../inventory/InventoryStore';
import type { ApiWrite, ScopeResources } from '../inventory/types';
import {
  partitionOf,
  restApiRecord,
  ScopeIdentity,
  v2ApiRecord,
} from './normalize';
import { crawlOneApi } from './crawlOneApi';
import { crawlRestApi, listRestApis } from './restApis';
import {
  crawlDomains,
  crawlVpcEndpoints,
  crawlVpcLinks,
  resolveLoadBalancers,
} from './scopeResources';
import { TrafficReads } from './traffic';
import { crawlV2Api, listV2Apis } from './v2Apis';
import { refreshDerivedFigures, scopeCostTotals } from './derived';
import { Shard, shardOf } from './shards';
import { refreshEstateIndex } from '../inventory/reverseIndex';
import { WrittenApiSteps } from './writtenApiSteps';
import type { PolicyWork } from '../policyWork/PolicyWork';

/**
 * APIs whose traffic is read and stored at once, as the crawl goes: a fifth of a
 * GetMetricData call's 500 queries, so that the reads fill the crawl's waits on the quota
 * (CloudWatch charges by the metric, not by the call).
 */
const TRAFFIC_BATCH = 100;

/** What happened to one account and Region in a run. */
export interface ScopeOutcome {
  accountId: string;
  region: string;
  ok: boolean;
  full: boolean;
  apiCount: number;
  /** APIs whose resources and export were kept because their deployments had not changed. */
  unchangedApis: number;
  /** APIs whose details could not be refreshed (their stored details are kept). */
  apiDetailErrors: number;
  removedApiIds: string[];
  calls: number;
  throttled: number;
  durationMs: number;
  error?: { code: string; message: string };
}

export interface DiscoveryRunSummary {
  runId: string;
  scopes: ScopeOutcome[];
  durationMs: number;
}

/** A scope's resources as a crawl listed them before its APIs. */
interface ListedScopeResources {
  resources: ScopeResources;
  /** The VPC links before their load balancers were attached, as JSON. */
  unresolvedLinks: string;
  /** The listeners the stored integrations named then (see vpcLinkListeners). */
  listeners: string;
}

/** The listeners that integrations through VPC links name: what their load balancers depend on. */
function vpcLinkListeners(integrations: IntegrationRecord[]): string {
  const keys = new Set<string>();
  for (const { target } of integrations) {
    if (target.kind === 'vpc-link' && target.listenerArn)
      keys.add(`${target.vpcLinkId} ${target.listenerArn}`);
  }
  return [...keys].sort().join('\n');
}

export type ScopeCrawledListener = (
  outcome: ScopeOutcome,
) => Promise<void> | void;

/**
 * One discovery run: every configured account and Region, crawled concurrently within the
 * accounts' quotas, streamed into the inventory API by API. A scope that fails keeps its
 * last good inventory; the others complete.
 */
export class DiscoveryRunner {
  private readonly listeners: ScopeCrawledListener[] = [];
  /** Accounts this replica crawls at once, across runs and shards. */
  private readonly accountLimit: pLimit.Limit;

  constructor(
    private readonly options: {
      config: PrivateApiConfig;
      rootConfig: Config;
      clients: AwsClientFactory;
      store: InventoryStore;
      logger: LoggerService;
      /** Price tables for the cost figures; the embedded ones by default. */
      prices?: PriceBook;
      /** Where the policy analyses and index verdicts run (the backend's worker threads); inline by default. */
      policyWork?: PolicyWork;
    },
  ) {
    this.accountLimit = pLimit(options.config.concurrency.accounts);
  }

  /** The accounts and Regions discovery covers (from config, Backstage's AWS accounts, Organizations). */
  accounts(): Promise<DiscoveryAccount[]> {
    return resolveAccounts(this.options);
  }

  /** Called after every scope of every run, successful or not. */
  onScopeCrawled(listener: ScopeCrawledListener) {
    this.listeners.push(listener);
  }

  /** Crawls every account. */
  async run(options: { full?: boolean } = {}): Promise<DiscoveryRunSummary> {
    return this.crawlAccounts(
      await resolveAccounts(this.options),
      options.full ?? false,
      'Discovery run',
    );
  }

  /**
   * Crawls the accounts of one shard that are due: never crawled in one of their Regions,
   * last started before `startedBefore`, or before the latest "Start discovery now".
   * Another replica may have crawled them since this one last looked: the stored start
   * times, not this replica's memory, decide.
   */
  async runShard(
    shard: Shard,
    options: {
      startedBefore?: Date;
      /** Wraps the crawl when some account is due (status tracking); not called otherwise. */
      around?: <T>(crawl: () => Promise<T>) => Promise<T>;
    } = {},
  ): Promise<DiscoveryRunSummary> {
    const { store } = this.options;
    const requestedAt = await store.getDiscoveryRequestedAt();
    const thresholds = [options.startedBefore, requestedAt]
      .filter((d): d is Date => d !== undefined)
      .map(d => d.getTime());
    const threshold = thresholds.length > 0 ? Math.max(...thresholds) : 0;
    const lastStarted = new Map(
      (await store.listScopes()).map(s => [
        `${s.accountId}/${s.region}`,
        s.lastStartedAt ? Date.parse(s.lastStartedAt) : undefined,
      ]),
    );
    const due = (await resolveAccounts(this.options)).filter(
      account =>
        shardOf(account.accountId, shard.count) === shard.index &&
        account.regions.some(region => {
          const started = lastStarted.get(`${account.accountId}/${region}`);
          return started === undefined || started < threshold;
        }),
    );
    const crawl = () =>
      this.crawlAccounts(
        due,
        false,
        `Discovery shard ${shard.index + 1}/${shard.count}`,
      );
    if (due.length === 0 || !options.around) return crawl();
    return options.around(crawl);
  }

  private async crawlAccounts(
    accounts: DiscoveryAccount[],
    forceFull: boolean,
    label: string,
  ): Promise<DiscoveryRunSummary> {
    const { config } = this.options;
    const runId = randomUUID();
    const started = Date.now();
    // A shard with nothing due is a poll, not a run: it logs at debug only.
    this.options.logger[accounts.length ? 'info' : 'debug'](
      `${label} ${runId} started: ${accounts.reduce(
        (n, a) => n + a.regions.length,
        0,
      )} account-Regions in ${accounts.length} accounts`,
    );
    const scopes = await Promise.all(
      accounts.map(account =>
        this.accountLimit(async () => {
          // The account's quota is shared by its Regions, and so is its concurrency.
          const apiLimit = pLimit(config.concurrency.apisPerAccount);
          return Promise.all(
            account.regions.map(region =>
              this.crawlScope({
                runId,
                account,
                region,
                apiLimit,
                forceFull,
              }),
            ),
          );
        }),
      ),
    );
    const summary = {
      runId,
      scopes: scopes.flat(),
      durationMs: Date.now() - started,
    };
    if (accounts.length > 0) this.logSummary(summary, label);
    return summary;
  }

  /**
   * Re-reads one REST API (its policy, stages, routes, export) into the inventory, without
   * crawling the rest of its account and Region: "Verify now" of an access request. The
   * account's quota and client settings apply as in a run.
   */
  async crawlApi(accountId: string, region: string, apiId: string) {
    const { store, config, clients } = this.options;
    const scopeStatus = await store.getScope(accountId, region);
    if (!scopeStatus) {
      throw new InputError(
        `Account ${accountId} in ${region} has not been discovered: it is not in privateApi.accounts and privateApi.regions, or no run reached it yet`,
      );
    }
    const scope: ScopeIdentity = {
      accountId,
      accountName: scopeStatus.accountName,
      region,
      partition: partitionOf(region),
    };
    const write = await clients.withScope(accountId, region, {}, async c => {
      let api;
      try {
        api = await c.apigateway.send(
          new GetRestApiCommand({ restApiId: apiId }),
        );
      } catch (error) {
        if (describeAwsError(error).notFound) {
          throw new NotFoundError(
            `REST API ${apiId} no longer exists in account ${accountId}, ${region}; the next discovery run removes it from the catalog`,
          );
        }
        throw error;
      }
      return crawlRestApi({
        clients: c,
        scope,
        api,
        exportDefinitions: config.exportDefinitions,
      });
    });
    const runId =
      (await store.getApiRun(accountId, region, apiId)) ?? randomUUID();
    const totalsBefore = await scopeCostTotals(store, accountId, region);
    await store.writeApi(runId, write, config.tagKeys.owner);
    // The page serves the stored analysis, cost and snapshot: refresh them with the API.
    await this.refreshNamedApis(accountId, region, [apiId], totalsBefore);
  }

  /**
   * After re-crawling named APIs: their derived figures (every API's when the scope's shared
   * cost totals moved) and their index entries; a re-crawl costs what it changed, not the
   * scope. APIs that were removed are pruned from the index.
   */
  private async refreshNamedApis(
    accountId: string,
    region: string,
    apiIds: string[],
    totalsBefore: SharedCostTotals,
    beforeIndex?: () => Promise<void>,
  ) {
    const { store, prices, policyWork } = this.options;
    await refreshDerivedFigures(store, accountId, region, prices, {
      only: { apiIds, totalsBefore },
      policyWork,
    });
    await beforeIndex?.();
    await this.refreshIndex(accountId, region, apiIds);
  }

  private logSummary(summary: DiscoveryRunSummary, label: string) {
    const { logger } = this.options;
    const sum = (pick: (s: ScopeOutcome) => number) =>
      summary.scopes.reduce((total, s) => total + pick(s), 0);
    const failed = summary.scopes.filter(s => !s.ok);
    logger[summary.scopes.length ? 'info' : 'debug'](
      `${label} ${summary.runId} finished in ${summary.durationMs} ms: ` +
        `${summary.scopes.length - failed.length}/${
          summary.scopes.length
        } account-Regions ok, ` +
        `${sum(s => s.apiCount)} APIs (${sum(
          s => s.unchangedApis,
        )} unchanged, ${sum(s => s.apiDetailErrors)} with stale details), ` +
        `${sum(s => s.calls)} AWS calls, ${sum(s => s.throttled)} throttled`,
    );
    for (const scope of failed) {
      logger.warn(
        `Discovery of account ${scope.accountId} in ${scope.region} failed (${scope.error?.code}): ${scope.error?.message}. Its last good inventory is kept and marked stale.`,
      );
    }
  }

  /**
   * Lists and stores the scope's VPC links (with their load balancers, as the stored
   * integrations name them), custom domains and execute-api VPC endpoints. A crawl does this
   * first: each API it writes is then indexed against them at once (see WrittenApiSteps).
   */
  private async crawlScopeResources(
    c: ScopeClients,
    scope: ScopeIdentity,
  ): Promise<ListedScopeResources> {
    const { store } = this.options;
    const { accountId, region } = scope;
    const vpcLinks = await crawlVpcLinks(c);
    const unresolvedLinks = JSON.stringify(vpcLinks);
    const integrations = await store.listVpcLinkIntegrations(accountId, region);
    await resolveLoadBalancers(c, vpcLinks, integrations);
    const domains = await crawlDomains(c, scope);
    const { vpcEndpoints, vpcs } = await crawlVpcEndpoints(c, scope);
    const resources = { vpcLinks, domains, vpcEndpoints, vpcs };
    await store.replaceScopeResources(accountId, region, resources);
    return {
      resources,
      unresolvedLinks,
      listeners: vpcLinkListeners(integrations),
    };
  }

  /**
   * After the crawl: the load balancers behind the VPC links again, if the integrations it
   * wrote name other listeners than those stored before it. Returns the APIs whose links
   * changed (their records, and so their index entries, changed with them).
   */
  private async settleVpcLinks(
    c: ScopeClients,
    scope: ScopeIdentity,
    listed: ListedScopeResources,
  ): Promise<string[]> {
    const { store } = this.options;
    const { accountId, region } = scope;
    const integrations = await store.listVpcLinkIntegrations(accountId, region);
    if (vpcLinkListeners(integrations) === listed.listeners) return [];
    const vpcLinks = JSON.parse(listed.unresolvedLinks) as VpcLinkRecord[];
    await resolveLoadBalancers(c, vpcLinks, integrations);
    const before = new Map(
      listed.resources.vpcLinks.map(l => [l.id, JSON.stringify(l)]),
    );
    const changed = vpcLinks
      .filter(l => before.get(l.id) !== JSON.stringify(l))
      .map(l => l.id);
    if (changed.length === 0) return [];
    await store.replaceScopeResources(accountId, region, {
      ...listed.resources,
      vpcLinks,
    });
    return store.scopeApiIdsUsingVpcLinks(accountId, region, changed);
  }

  /**
   * Re-crawls only what changed in one account and Region (the change feed's entry point):
   * the named APIs (an API AWS no longer has leaves the inventory) and, with
   * `scopeResources`, the VPC links, domains and VPC endpoints.
   */
  async recrawl(
    accountId: string,
    region: string,
    targets: { apiIds: string[]; scopeResources?: boolean },
  ): Promise<ScopeOutcome> {
    const { store, config } = this.options;
    const started = Date.now();
    const outcome: ScopeOutcome = {
      accountId,
      region,
      ok: false,
      full: false,
      apiCount: 0,
      unchangedApis: 0,
      apiDetailErrors: 0,
      removedApiIds: [],
      calls: 0,
      throttled: 0,
      durationMs: 0,
    };
    let clients: ScopeClients | undefined;
    try {
      clients = await this.options.clients.forScope(accountId, region);
      const c = clients;
      const known = await store.getScope(accountId, region);
      const scope: ScopeIdentity = {
        accountId,
        accountName: known?.accountName,
        region,
        partition: partitionOf(region),
      };
      const apiLimit = pLimit(config.concurrency.apisPerAccount);
      const totalsBefore = await scopeCostTotals(store, accountId, region);
      await Promise.all(
        targets.apiIds.map(apiId =>
          apiLimit(async () => {
            const stored = await store.getApi(accountId, region, apiId);
            const result = await crawlOneApi({
              clients: c,
              scope,
              apiId,
              apiType: stored?.apiType,
              config,
            });
            if (result === 'gone') {
              outcome.removedApiIds.push(apiId);
            } else if (result) {
              await store.writeApi(undefined, result, config.tagKeys.owner);
              outcome.apiCount += 1;
            }
          }),
        ),
      );
      await store.removeApis(accountId, region, outcome.removedApiIds);
      if (targets.scopeResources) {
        // New links or domains can change any API's record: the whole scope.
        await this.crawlScopeResources(c, scope);
        await this.refreshScopeFigures(accountId, region);
        await store.touchScope(accountId, region);
        await this.refreshIndex(accountId, region);
      } else {
        await this.refreshNamedApis(
          accountId,
          region,
          targets.apiIds,
          totalsBefore,
          () => store.touchScope(accountId, region),
        );
      }
      outcome.ok = true;
    } catch (error) {
      const info = describeAwsError(error);
      outcome.error = {
        code: info.code,
        message: `${info.message} ${adviceFor(info)}`,
      };
    }
    clients?.destroy();
    outcome.durationMs = Date.now() - started;
    outcome.calls = clients?.counter.calls ?? 0;
    outcome.throttled = clients?.counter.throttled ?? 0;
    await this.notify(outcome);
    return outcome;
  }

  private async notify(outcome: ScopeOutcome) {
    for (const listener of this.listeners) {
      try {
        await listener(outcome);
      } catch (error) {
        this.options.logger.error(
          `A listener of discovery failed for ${outcome.accountId}/${outcome.region}: ${error}`,
        );
      }
    }
  }

  /**
   * The reverse index and search documents of what the crawl changed. A failure here leaves
   * the crawled inventory in place (the index catches up on the next run).
   */
  /** Every API's derived figures in the scope: after a full crawl, or when its shared totals can have moved. */
  private async refreshScopeFigures(accountId: string, region: string) {
    const { store, prices, policyWork } = this.options;
    await refreshDerivedFigures(store, accountId, region, prices, {
      policyWork,
    });
  }

  private async refreshIndex(
    accountId: string,
    region: string,
    onlyApiIds?: string[],
  ) {
    try {
      await refreshEstateIndex(
        this.options.store,
        { accountId, region },
        { onlyApiIds, policyWork: this.options.policyWork },
      );
    } catch (error) {
      this.options.logger.error(
        `The estate index of ${accountId}/${region} could not be refreshed: ${error}`,
      );
    }
  }

  /** The per-API steps of a scope's post-crawl work, run as APIs are written. */
  private writtenApiSteps(accountId: string, region: string) {
    return new WrittenApiSteps({
      store: this.options.store,
      accountId,
      region,
      policyWork: this.options.policyWork,
      onError: error =>
        this.options.logger.warn(
          `Indexing APIs of ${accountId}/${region} as they were crawled failed (the post-crawl steps redo it): ${error}`,
        ),
    });
  }

  private async isFullCrawlDue(accountId: string, region: string) {
    const scope = await this.options.store.getScope(accountId, region);
    if (!scope?.lastFullCrawlAt) return true;
    const ageHours =
      (Date.now() - Date.parse(scope.lastFullCrawlAt)) / 3_600_000;
    return ageHours >= this.options.config.fullCrawlIntervalHours;
  }

  private async crawlScope(args: {
    runId: string;
    account: DiscoveryAccount;
    region: string;
    apiLimit: pLimit.Limit;
    forceFull: boolean;
  }): Promise<ScopeOutcome> {
    const { store, config } = this.options;
    const { account, region, runId } = args;
    const { accountId } = account;
    const started = Date.now();
    await store.startScope({
      accountId,
      region,
      accountName: account.name,
      startedAt: new Date(started),
    });
    const full =
      args.forceFull || (await this.isFullCrawlDue(accountId, region));
    const outcome: ScopeOutcome = {
      accountId,
      region,
      ok: false,
      full,
      apiCount: 0,
      unchangedApis: 0,
      apiDetailErrors: 0,
      removedApiIds: [],
      calls: 0,
      throttled: 0,
      durationMs: 0,
    };
    let clients: ScopeClients | undefined;
    let steps: WrittenApiSteps | undefined;
    try {
      clients = await this.options.clients.forScope(accountId, region);
      const scope: ScopeIdentity = {
        accountId,
        accountName: account.name,
        region,
        partition: partitionOf(region),
      };
      // The scope's resources (the Region's endpoints above all) first, so that each API is
      // indexed against them as it is written, while the crawl waits on the quota.
      const resources = await this.crawlScopeResources(clients, scope);
      const asWritten = this.writtenApiSteps(accountId, region);
      steps = asWritten;
      const previous = full
        ? new Map<string, string>()
        : await store.getFingerprints(accountId, region);
      const traffic = config.traffic.enabled
        ? new TrafficReads({
            clients,
            store,
            accountId,
            region,
            days: config.traffic.days,
            batch: TRAFFIC_BATCH,
          })
        : undefined;
      const write = async (result: ApiWrite) => {
        await store.writeApi(runId, result, config.tagKeys.owner);
        asWritten.add(result.record.apiId);
        outcome.apiCount += 1;
        if (result.details === 'keep') outcome.unchangedApis += 1;
        if (result.detailError) outcome.apiDetailErrors += 1;
        traffic?.add({
          apiId: result.record.apiId,
          name: result.record.name,
          apiType: result.record.apiType,
        });
      };
      /**
       * Crawls every API of the listed pages, within the account's concurrency; a failed
       * detail crawl keeps the API and its stored details, with the reason.
       */
      const crawlPages = async <T>(
        pages: AsyncIterable<T[]>,
        crawl: (api: T) => Promise<ApiWrite>,
        listed: (api: T) => ApiWrite['record'],
      ) => {
        for await (const page of pages) {
          await Promise.all(
            page.map(api =>
              args.apiLimit(async () => {
                try {
                  await write(await crawl(api));
                } catch (error) {
                  const info = describeAwsError(error);
                  await write({
                    record: listed(api),
                    details: 'keep',
                    fingerprint: '',
                    detailError: `${info.code}: ${info.message}`,
                  });
                }
              }),
            ),
          );
        }
      };
      const c = clients;
      const common = {
        clients: c,
        scope,
        exportDefinitions: config.exportDefinitions,
      };

      if (config.apiTypes.includes('REST')) {
        await crawlPages(
          listRestApis(c),
          api =>
            crawlRestApi({
              ...common,
              api,
              previousFingerprint: previous.get(api.id!),
            }),
          api => restApiRecord(api, scope),
        );
      }
      const v2Types = config.apiTypes.filter(t => t !== 'REST');
      if (v2Types.length > 0) {
        await crawlPages(
          listV2Apis(c, v2Types),
          api =>
            crawlV2Api({
              ...common,
              api,
              previousFingerprint: previous.get(api.ApiId!),
            }),
          api => v2ApiRecord(api, scope),
        );
      }

      const apisDone = Date.now();
      await asWritten.drain();
      const indexDrained = Date.now();
      await traffic?.finish();

      const relinkedApiIds = await this.settleVpcLinks(c, scope, resources);
      const resourcesDone = Date.now();

      await this.refreshScopeFigures(accountId, region);

      const derivedDone = Date.now();
      outcome.durationMs = Date.now() - started;
      outcome.calls = c.counter.calls;
      outcome.throttled = c.counter.throttled;
      const { removedApiIds } = await store.completeScope(
        accountId,
        region,
        runId,
        {
          full,
          durationMs: outcome.durationMs,
          calls: outcome.calls,
          throttled: outcome.throttled,
          finishedAt: new Date(),
        },
      );
      outcome.removedApiIds = removedApiIds;
      outcome.ok = true;
      const completed = Date.now();
      // The APIs were indexed as they were written; what changed since is their VPC links.
      await this.refreshIndex(
        accountId,
        region,
        asWritten.failed ? undefined : relinkedApiIds,
      );
      // Where a scope's time goes: the APIs (quota-bound) against the steps after them.
      this.options.logger.debug(
        `Discovery of ${accountId}/${region}: APIs crawled in ${
          apisDone - started
        } ms, then the last index batches ${
          indexDrained - apisDone
        } ms, the last traffic and VPC links ${
          resourcesDone - indexDrained
        } ms, derived figures ${derivedDone - resourcesDone} ms, completion ${
          completed - derivedDone
        } ms, index ${Date.now() - completed} ms`,
      );
    } catch (error) {
      // Nothing of this scope is written after it is marked failed.
      await steps?.drain();
      const info = describeAwsError(error);
      outcome.durationMs = Date.now() - started;
      outcome.calls = clients?.counter.calls ?? 0;
      outcome.throttled = clients?.counter.throttled ?? 0;
      outcome.error = {
        code: info.code,
        message: `${info.message} ${adviceFor(info)}`,
      };
      await store.failScope(accountId, region, {
        code: info.code,
        message: outcome.error.message,
        durationMs: outcome.durationMs,
        calls: outcome.calls,
        throttled: outcome.throttled,
        finishedAt: new Date(),
      });
    }
    clients?.destroy();
    await this.notify(outcome);
    return outcome;
  }
}
