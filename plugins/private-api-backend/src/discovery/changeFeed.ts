import type {
  LifecycleService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { setTimeout as sleep } from 'node:timers/promises';
import { paginateLookupEvents } from '@aws-sdk/client-cloudtrail';
import {
  DeleteMessageBatchCommand,
  Message,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { randomUUID } from 'node:crypto';
import type { AwsClientFactory, ScopeClients } from '../aws/clients';
import type { DiscoveryAccount } from '../aws/accounts';
import { describeAwsError } from '../aws/errors';
import type { PrivateApiConfig } from '../config/config';
import {
  addChange,
  API_GATEWAY_SOURCE,
  EC2_SOURCE,
  ScopeChanges,
  TrailRecord,
} from './changeEvents';
import type { DiscoveryRunner, ScopeOutcome } from './DiscoveryRunner';
import type { InventoryStore } from '../inventory/InventoryStore';
import type { ChangeFeedState, HandledEvent } from './ChangeFeedState';

/**
 * Events reach CloudTrail's event history minutes after the call (about 5, AWS says
 * "typically within 5 minutes"): each poll reads back this far before where the last one
 * stopped, and skips the events some replica has already acted on.
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/how-cloudtrail-works.html
 */
const LOOKBACK_MS = 15 * 60_000;
/**
 * After a long stop, a poll reads at most this far back: older changes are the full crawl's
 * (the safety net), and reading days of history at LookupEvents' 2 calls per second would
 * hold the account's poll for minutes.
 */
const MAX_CATCH_UP_MS = 24 * 60 * 60_000;
/** Clock difference tolerated between AWS's event times and ours. */
const CLOCK_MARGIN_MS = 2_000;
/** A scope whose CloudTrail access is denied is asked again after this long. */
const DENIED_RETRY_MS = 60 * 60_000;
/** A poll's hold on its account-Region; a crashed replica's hold frees itself after this. */
const POLL_LEASE_MS = 10 * 60_000;
const PAGE_SIZE = 50;
/**
 * Message batches of one queue being re-crawled at once: the consumer keeps receiving while
 * earlier batches wait for their scope's re-crawl (SQS allows 120,000 in flight).
 */
const BATCHES_IN_FLIGHT = 30;
/** Long enough for a batch to wait for a busy scope's re-crawl without coming back. */
const VISIBILITY_TIMEOUT_SECONDS = 300;
/** The account list (which may come from Organizations) is read again after this long. */
const ACCOUNTS_TTL_MS = 5 * 60_000;

export interface ChangeFeedOptions {
  config: PrivateApiConfig;
  clients: AwsClientFactory;
  /** The narrow entry point of discovery: re-crawl these APIs of this scope. */
  recrawl(
    accountId: string,
    region: string,
    targets: { apiIds: string[]; scopeResources?: boolean },
  ): Promise<ScopeOutcome>;
  /** The accounts and Regions discovery covers. */
  accounts(): Promise<DiscoveryAccount[]>;
  /** Read positions, poll leases and handled events, shared by replicas. */
  state: ChangeFeedState;
  logger: LoggerService;
}

export interface FeedResult {
  /** Events that named something the inventory shows. */
  events: number;
  /** APIs re-crawled (and scope resources, counted as one). */
  recrawled: number;
  /** AWS calls, the feed's own and the re-crawls'. */
  calls: number;
  /** Account-Regions another replica was polling, left to it. */
  skipped: number;
}

/** The re-crawl one or more callers wait for in one scope. */
interface ScopeBatch {
  accountId: string;
  region: string;
  apiIds: Set<string>;
  scopeResources: boolean;
  /** The events it acts on, recorded as handled when it succeeds. */
  events: HandledEvent[];
  done: Promise<BatchResult>;
  resolve(result: BatchResult): void;
}

interface BatchResult {
  ok: boolean;
  recrawled: number;
  calls: number;
}

/** One scope's re-crawls: the running one, and the next, which gathers what arrives meanwhile. */
interface ScopeLine {
  running?: Promise<void>;
  next?: ScopeBatch;
}

/** One event read from either source, with what it names in its scope. */
interface NamedEvent {
  eventId?: string;
  eventTime: number;
  change: ScopeChanges;
}

/**
 * Between full crawls, the change feed keeps the inventory fresh at the fewest calls: it
 * reads what changed (CloudTrail event history every minute per account and Region, or an
 * EventBridge → SQS queue within seconds) and re-crawls only the APIs the events name. Lost
 * events are caught by the scheduled crawls, which stay the safety net.
 *
 * Each scope has one re-crawl at a time: what arrives while it runs waits for the next,
 * which takes all of it at once. A re-crawl ends with work that reads the whole scope (the
 * derived figures and the reverse index), so one re-crawl per message batch would cost
 * O(scope) per batch: at 1,000 APIs a scope, a burst of changes then outruns the CPU.
 */
export class ChangeFeed {
  /** `{account}|{region}|{apiId or *}` → when a re-crawl of it started. */
  private readonly crawledAt = new Map<string, number>();
  private readonly lines = new Map<string, ScopeLine>();
  private readonly deniedUntil = new Map<string, number>();
  /** This instance, as the holder of poll leases. */
  private readonly holder = `change-feed-${randomUUID()}`;
  private stopped = false;
  /** Ends the queues' long polls at shutdown. */
  private readonly abort = new AbortController();
  private readonly consumers: Promise<void>[] = [];
  private accountsCache?: { at: number; scopes: Promise<Set<string>> };

  constructor(private readonly options: ChangeFeedOptions) {}

  /** One poll of the event history of every account and Region. */
  async pollAll(): Promise<FeedResult> {
    const total: FeedResult = { events: 0, recrawled: 0, calls: 0, skipped: 0 };
    const accounts = await this.options.accounts();
    await Promise.all(
      accounts.flatMap(account =>
        account.regions.map(async region => {
          const result = await this.pollScope(account.accountId, region);
          total.events += result.events;
          total.recrawled += result.recrawled;
          total.calls += result.calls;
          total.skipped += result.skipped;
        }),
      ),
    );
    await this.options.state.prune(Date.now() - LOOKBACK_MS - MAX_CATCH_UP_MS);
    return total;
  }

  /**
   * LookupEvents for API Gateway and EC2 since the scope's stored read position, then the
   * re-crawl; the position moves only once what the events name is in the inventory.
   */
  async pollScope(accountId: string, region: string): Promise<FeedResult> {
    const key = `${accountId}|${region}`;
    const result: FeedResult = {
      events: 0,
      recrawled: 0,
      calls: 0,
      skipped: 0,
    };
    if ((this.deniedUntil.get(key) ?? 0) > Date.now()) return result;
    const { state } = this.options;
    const lease = await state.claim(
      accountId,
      region,
      this.holder,
      POLL_LEASE_MS,
    );
    if (!lease) return { ...result, skipped: 1 };
    const started = Date.now();
    let clients;
    try {
      clients = await this.options.clients.forScope(accountId, region);
      const since = Math.max(
        (lease.polledUntil ?? started) - LOOKBACK_MS,
        started - MAX_CATCH_UP_MS,
      );
      const events = await this.lookupEvents(clients, key, {
        accountId,
        region,
        since,
        until: started,
      });
      const plan = await this.plan(events);
      const outcome = plan.change
        ? await this.request(plan.change, plan.toHandle)
        : { ok: true, recrawled: 0, calls: 0 };
      await state.finish(lease, {
        polledUntil: outcome.ok ? started : undefined,
        handled: plan.covered,
      });
      return {
        events: plan.change
          ? plan.change.apiIds.size + (plan.change.scopeResources ? 1 : 0)
          : 0,
        recrawled: outcome.recrawled,
        calls: clients.counter.calls + outcome.calls,
        skipped: 0,
      };
    } catch (error) {
      await state.finish(lease);
      const info = describeAwsError(error);
      if (info.accessDenied) {
        this.deniedUntil.set(key, Date.now() + DENIED_RETRY_MS);
        this.options.logger.warn(
          `The change feed cannot read CloudTrail in account ${accountId}, ${region} (${info.code}): ` +
            `changes there reach the catalog at the next scheduled discovery run. ` +
            `Allow cloudtrail:LookupEvents to the discovery role; the feed asks again in an hour.`,
        );
        return { ...result, calls: clients?.counter.calls ?? 0 };
      }
      throw error;
    } finally {
      clients?.destroy();
    }
  }

  /** The events of one scope's history in [since, until] that name something we show. */
  private async lookupEvents(
    clients: ScopeClients,
    key: string,
    window: { accountId: string; region: string; since: number; until: number },
  ): Promise<NamedEvent[]> {
    const named: NamedEvent[] = [];
    for (const source of [API_GATEWAY_SOURCE, EC2_SOURCE]) {
      for await (const page of paginateLookupEvents(
        { client: clients.cloudtrail, pageSize: PAGE_SIZE },
        {
          LookupAttributes: [
            { AttributeKey: 'EventSource', AttributeValue: source },
          ],
          StartTime: new Date(window.since),
          EndTime: new Date(window.until),
        },
      )) {
        for (const event of page.Events ?? []) {
          const record = parseRecord(event.CloudTrailEvent);
          if (!record) continue;
          const one = new Map<string, ScopeChanges>();
          if (!addChange(one, record, window)) continue;
          const change = one.get(key);
          if (!change) continue;
          named.push({
            eventId: event.EventId,
            eventTime: event.EventTime?.getTime() ?? window.until,
            change,
          });
        }
      }
    }
    return named;
  }

  /**
   * Splits one scope's events into what needs a re-crawl and what is already done: events
   * some replica has recorded as handled, and targets a re-crawl read after the event.
   */
  private async plan(events: NamedEvent[]) {
    const handled = await this.options.state.handledAmong(
      events.flatMap(e => (e.eventId ? [e.eventId] : [])),
    );
    let change: ScopeChanges | undefined;
    const toHandle: HandledEvent[] = [];
    const covered: HandledEvent[] = [];
    for (const event of events) {
      if (event.eventId && handled.has(event.eventId)) continue;
      const { accountId, region } = event.change;
      const left = this.uncovered(event.change, event.eventTime);
      const record = event.eventId && {
        eventId: event.eventId,
        accountId,
        region,
      };
      if (!left) {
        if (record) covered.push(record);
        continue;
      }
      if (record) toHandle.push(record);
      change ??= {
        accountId,
        region,
        apiIds: new Set(),
        scopeResources: false,
      };
      for (const apiId of left.apiIds) change.apiIds.add(apiId);
      change.scopeResources ||= left.scopeResources;
    }
    return { change, toHandle, covered };
  }

  /** What an event names that no re-crawl started after the event has read; undefined if none. */
  private uncovered(
    change: ScopeChanges,
    eventTime: number,
  ): ScopeChanges | undefined {
    const key = `${change.accountId}|${change.region}`;
    const covered = (target: string) =>
      (this.crawledAt.get(`${key}|${target}`) ?? 0) >
      eventTime + CLOCK_MARGIN_MS;
    const apiIds = new Set([...change.apiIds].filter(id => !covered(id)));
    const scopeResources = change.scopeResources && !covered('*');
    return apiIds.size > 0 || scopeResources
      ? { ...change, apiIds, scopeResources }
      : undefined;
  }

  /**
   * Asks for a re-crawl of what `change` names; resolves when a re-crawl that started after
   * this call has finished. One re-crawl runs per scope; requests made meanwhile join the
   * next one.
   */
  private request(
    change: ScopeChanges,
    events: HandledEvent[],
  ): Promise<BatchResult> {
    const key = `${change.accountId}|${change.region}`;
    let line = this.lines.get(key);
    if (!line) {
      line = {};
      this.lines.set(key, line);
    }
    if (!line.next) {
      let resolve!: (result: BatchResult) => void;
      const done = new Promise<BatchResult>(r => (resolve = r));
      line.next = {
        accountId: change.accountId,
        region: change.region,
        apiIds: new Set(),
        scopeResources: false,
        events: [],
        done,
        resolve,
      };
    }
    const batch = line.next;
    for (const apiId of change.apiIds) batch.apiIds.add(apiId);
    batch.scopeResources ||= change.scopeResources;
    batch.events.push(...events);
    line.running ??= this.drain(key, line);
    return batch.done;
  }

  /** Runs a scope's re-crawls one after another until none is waiting. */
  private async drain(key: string, line: ScopeLine) {
    while (line.next) {
      const batch = line.next;
      line.next = undefined;
      batch.resolve(await this.recrawlBatch(key, batch));
    }
    line.running = undefined;
    this.lines.delete(key);
  }

  private async recrawlBatch(
    key: string,
    batch: ScopeBatch,
  ): Promise<BatchResult> {
    const started = Date.now();
    let outcome: ScopeOutcome;
    try {
      outcome = await this.options.recrawl(batch.accountId, batch.region, {
        apiIds: [...batch.apiIds],
        scopeResources: batch.scopeResources,
      });
    } catch (error) {
      outcome = {
        ok: false,
        calls: 0,
        error: { code: 'Error', message: String(error) },
      } as ScopeOutcome;
    }
    if (!outcome.ok) {
      this.options.logger.warn(
        `The change feed could not re-crawl ${batch.apiIds.size} API(s) in account ${batch.accountId}, ${batch.region} (${outcome.error?.code}): ${outcome.error?.message} The next poll tries again.`,
      );
      return { ok: false, recrawled: 0, calls: outcome.calls };
    }
    for (const apiId of batch.apiIds)
      this.crawledAt.set(`${key}|${apiId}`, started);
    if (batch.scopeResources) this.crawledAt.set(`${key}|*`, started);
    this.prune();
    try {
      await this.options.state.recordHandled(batch.events);
    } catch (error) {
      // The inventory has the change; another source may re-crawl it once more.
      this.options.logger.warn(
        `The change feed could not record ${batch.events.length} handled event(s) of account ${batch.accountId}, ${batch.region}: ${error}`,
      );
    }
    return {
      ok: true,
      recrawled: batch.apiIds.size + (batch.scopeResources ? 1 : 0),
      calls: outcome.calls,
    };
  }

  private prune() {
    const horizon = Date.now() - 2 * LOOKBACK_MS;
    for (const [target, at] of this.crawledAt) {
      if (at < horizon) this.crawledAt.delete(target);
    }
  }

  /** Starts one consumer per configured queue; they run until `stop`. */
  startQueues() {
    for (const [region, queueUrl] of Object.entries(
      this.options.config.changeFeed.sqsQueueUrl,
    )) {
      this.consumers.push(this.consume(region, queueUrl));
    }
  }

  async stop() {
    this.stopped = true;
    this.abort.abort();
    await Promise.all(this.consumers);
  }

  /**
   * Receives a queue's messages as they come and hands each batch to the scopes'
   * re-crawls without waiting for them, up to `BATCHES_IN_FLIGHT` batches.
   */
  private async consume(region: string, queueUrl: string) {
    const { logger } = this.options;
    let backoffMs = 1_000;
    let client: SQSClient | undefined;
    const inFlight = new Set<Promise<unknown>>();
    while (!this.stopped) {
      try {
        client ??= await this.queueClient(region, queueUrl);
        const messages = await this.receive(client, queueUrl);
        if (messages.length > 0) {
          const work: Promise<unknown> = this.handleMessages(
            client,
            queueUrl,
            region,
            messages,
          )
            .catch(error =>
              logger.warn(
                `The change feed could not handle ${messages.length} message(s) of queue ${queueUrl}: ${error}. They come back after ${VISIBILITY_TIMEOUT_SECONDS} s.`,
              ),
            )
            .finally(() => inFlight.delete(work));
          inFlight.add(work);
          while (inFlight.size >= BATCHES_IN_FLIGHT)
            await Promise.race(inFlight);
        }
        backoffMs = 1_000;
      } catch (error) {
        if (this.stopped) break;
        const info = describeAwsError(error);
        logger.warn(
          `The change feed could not read queue ${queueUrl} (${info.code}): ${info.message}. ` +
            `Changes in ${region} reach the catalog through CloudTrail polling meanwhile; retrying in ${
              backoffMs / 1000
            } s.`,
        );
        await sleep(backoffMs, undefined, { signal: this.abort.signal }).catch(
          () => undefined,
        );
        backoffMs = Math.min(backoffMs * 2, 60_000);
      }
    }
    await Promise.all(inFlight);
    // Its connections would otherwise stay open after shutdown.
    client?.destroy();
  }

  /** SQS queue URLs name their account: `https://sqs.{region}.amazonaws.com/{account}/{name}`. */
  private async queueClient(region: string, queueUrl: string) {
    const account = /\/(\d{12})\/[^/]+$/.exec(queueUrl)?.[1];
    if (!account) {
      throw new Error(
        `privateApi.changeFeed.sqsQueueUrl.${region}: '${queueUrl}' is not an SQS queue URL (https://sqs.${region}.amazonaws.com/{account}/{name})`,
      );
    }
    return this.options.clients.sqs(account, region);
  }

  private coveredScopes(): Promise<Set<string>> {
    const now = Date.now();
    if (!this.accountsCache || now - this.accountsCache.at > ACCOUNTS_TTL_MS) {
      const scopes = this.options.accounts().then(scopesOf);
      scopes.catch(() => (this.accountsCache = undefined));
      this.accountsCache = { at: now, scopes };
    }
    return this.accountsCache.scopes;
  }

  /** One long poll of a queue. */
  private async receive(client: SQSClient, queueUrl: string) {
    const received = await client.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 20,
        VisibilityTimeout: VISIBILITY_TIMEOUT_SECONDS,
      }),
      { abortSignal: this.abort.signal },
    );
    return received.Messages ?? [];
  }

  /** One long poll of a queue and the handling of what it returned. */
  async receiveOnce(
    client: SQSClient,
    queueUrl: string,
    region: string,
  ): Promise<FeedResult> {
    const messages = await this.receive(client, queueUrl);
    if (messages.length === 0)
      return { events: 0, recrawled: 0, calls: 1, skipped: 0 };
    const result = await this.handleMessages(
      client,
      queueUrl,
      region,
      messages,
    );
    return { ...result, calls: result.calls + 1 };
  }

  /**
   * Re-crawls what the messages name and deletes the messages whose re-crawl succeeded
   * (and those that name nothing, or what is already handled). A failed re-crawl leaves its
   * messages, which come back after the visibility timeout.
   */
  private async handleMessages(
    client: SQSClient,
    queueUrl: string,
    region: string,
    messages: Message[],
  ): Promise<FeedResult> {
    const covered = await this.coveredScopes();
    const byScope = new Map<
      string,
      { events: NamedEvent[]; handles: string[] }
    >();
    const settled: string[] = [];
    for (const message of messages) {
      const event = parseJson(message.Body);
      const record = (event?.detail ?? undefined) as TrailRecord | undefined;
      const one = new Map<string, ScopeChanges>();
      const named =
        record &&
        addChange(one, record, {
          accountId: event?.account as string | undefined,
          region: (event?.region as string | undefined) ?? region,
        });
      const [key, change] = named ? [...one][0] : [];
      // Accounts and Regions discovery does not cover are not ours to crawl.
      if (!key || !change || !covered.has(key)) {
        settled.push(message.ReceiptHandle!);
        continue;
      }
      const eventTime = Date.parse(String(record!.eventTime ?? event?.time));
      const scope = byScope.get(key) ?? { events: [], handles: [] };
      scope.events.push({
        eventId: (record as { eventID?: string }).eventID,
        eventTime: Number.isNaN(eventTime) ? 0 : eventTime,
        change,
      });
      scope.handles.push(message.ReceiptHandle!);
      byScope.set(key, scope);
    }
    let recrawled = 0;
    let calls = 0;
    await Promise.all(
      [...byScope.values()].map(async scope => {
        const plan = await this.plan(scope.events);
        await this.options.state.recordHandled(plan.covered);
        const outcome = plan.change
          ? await this.request(plan.change, plan.toHandle)
          : { ok: true, recrawled: 0, calls: 0 };
        recrawled += outcome.recrawled;
        calls += outcome.calls;
        if (outcome.ok) settled.push(...scope.handles);
      }),
    );
    for (let i = 0; i < settled.length; i += 10) {
      await client.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: settled.slice(i, i + 10).map((handle, n) => ({
            Id: String(i + n),
            ReceiptHandle: handle,
          })),
        }),
      );
      calls += 1;
    }
    return { events: messages.length, recrawled, calls, skipped: 0 };
  }
}

/** `{account}|{region}` of every scope discovery covers. */
function scopesOf(accounts: DiscoveryAccount[]) {
  return new Set(
    accounts.flatMap(a => a.regions.map(r => `${a.accountId}|${r}`)),
  );
}

function parseJson(text: string | undefined): Record<string, any> | undefined {
  if (!text) return undefined;
  try {
    const value = JSON.parse(text);
    return value && typeof value === 'object' ? value : undefined;
  } catch {
    return undefined;
  }
}

function parseRecord(text: string | undefined): TrailRecord | undefined {
  return parseJson(text) as TrailRecord | undefined;
}

/** The change feed of a discovery runner. */
export function changeFeedFor(options: {
  runner: DiscoveryRunner;
  store: InventoryStore;
  clients: AwsClientFactory;
  config: PrivateApiConfig;
  logger: LoggerService;
}): ChangeFeed {
  const { runner } = options;
  return new ChangeFeed({
    ...options,
    recrawl: (accountId, region, targets) =>
      runner.recrawl(accountId, region, targets),
    accounts: () => runner.accounts(),
    state: options.store.changeFeedState(),
  });
}

/** The scheduler task id of the change feed's CloudTrail polling, global across replicas. */
export const CHANGE_FEED_TASK_ID = 'private-api:change-feed';

/**
 * Polls CloudTrail on a schedule (one replica at a time; each account-Region's poll also
 * holds a lease in the database, so overlapping runs never read one scope twice) and, where queues are configured,
 * consumes them on every replica (SQS hands each message to one consumer) until shutdown.
 */
export async function startChangeFeed(options: {
  runner: DiscoveryRunner;
  store: InventoryStore;
  clients: AwsClientFactory;
  config: PrivateApiConfig;
  logger: LoggerService;
  scheduler: SchedulerService;
  lifecycle: LifecycleService;
}): Promise<ChangeFeed> {
  const { config, logger, scheduler, lifecycle } = options;
  const feed = changeFeedFor(options);
  await scheduler.scheduleTask({
    id: CHANGE_FEED_TASK_ID,
    frequency: { seconds: config.changeFeed.pollIntervalSeconds },
    timeout: { minutes: 10 },
    initialDelay: { seconds: config.changeFeed.pollIntervalSeconds },
    scope: 'global',
    fn: async () => {
      const result = await feed.pollAll();
      if (result.recrawled > 0) {
        logger.info(
          `Change feed: ${result.events} change(s) in CloudTrail, ${result.recrawled} API(s) re-crawled with ${result.calls} AWS calls`,
        );
      }
    },
  });
  feed.startQueues();
  lifecycle.addShutdownHook(() => feed.stop());
  return feed;
}
