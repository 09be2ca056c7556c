import type {
  LifecycleService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { setTimeout as sleep } from 'node:timers/promises';
import { paginateLookupEvents } from '@aws-sdk/client-cloudtrail';
import {
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { AwsClientFactory } from '../aws/clients';
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

/**
 * Events reach CloudTrail's event history minutes after the call (AWS-FACTS §7, about 5;
 * verify): each poll reads back this far, and skips what a re-crawl has already covered.
 */
const LOOKBACK_MS = 15 * 60_000;
/** Clock difference tolerated between AWS's event times and ours. */
const CLOCK_MARGIN_MS = 2_000;
/** A scope whose CloudTrail access is denied is asked again after this long. */
const DENIED_RETRY_MS = 60 * 60_000;
const PAGE_SIZE = 50;

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
  logger: LoggerService;
}

export interface FeedResult {
  /** Events that named something the inventory shows. */
  events: number;
  /** APIs re-crawled (and scope resources, counted as one). */
  recrawled: number;
  /** AWS calls, the feed's own and the re-crawls'. */
  calls: number;
}

/**
 * Between full crawls, the change feed keeps the inventory fresh at the fewest calls: it
 * reads what changed (CloudTrail event history every minute per account and Region, or an
 * EventBridge → SQS queue within seconds) and re-crawls only the APIs the events name. Lost
 * events are caught by the scheduled crawls, which stay the safety net.
 */
export class ChangeFeed {
  /** `{account}|{region}|{apiId or *}` → when a re-crawl of it started. */
  private readonly crawledAt = new Map<string, number>();
  /**
   * CloudTrail event ids already acted on: the same event comes from the queue and, minutes
   * later, from the event history. id → when it was handled.
   */
  private readonly handled = new Map<string, number>();
  /** Event ids waiting on a scope's re-crawl: `{account}|{region}` → ids. */
  private readonly pending = new Map<string, string[]>();
  private readonly deniedUntil = new Map<string, number>();
  private readonly lastPoll = new Map<string, number>();
  private stopped = false;
  /** Ends the queues' long polls at shutdown. */
  private readonly abort = new AbortController();
  private readonly consumers: Promise<void>[] = [];

  constructor(private readonly options: ChangeFeedOptions) {}

  /** One poll of the event history of every account and Region. */
  async pollAll(): Promise<FeedResult> {
    const total: FeedResult = { events: 0, recrawled: 0, calls: 0 };
    const accounts = await this.options.accounts();
    await Promise.all(
      accounts.flatMap(account =>
        account.regions.map(async region => {
          const result = await this.pollScope(account.accountId, region);
          total.events += result.events;
          total.recrawled += result.recrawled;
          total.calls += result.calls;
        }),
      ),
    );
    return total;
  }

  /** LookupEvents for API Gateway and EC2 since the last poll, then the re-crawl. */
  async pollScope(accountId: string, region: string): Promise<FeedResult> {
    const key = `${accountId}|${region}`;
    const result: FeedResult = { events: 0, recrawled: 0, calls: 0 };
    if ((this.deniedUntil.get(key) ?? 0) > Date.now()) return result;
    const started = Date.now();
    const since = (this.lastPoll.get(key) ?? started) - LOOKBACK_MS;
    const clients = await this.options.clients.forScope(accountId, region);
    const changes = new Map<string, ScopeChanges>();
    try {
      for (const source of [API_GATEWAY_SOURCE, EC2_SOURCE]) {
        for await (const page of paginateLookupEvents(
          { client: clients.cloudtrail, pageSize: PAGE_SIZE },
          {
            LookupAttributes: [
              { AttributeKey: 'EventSource', AttributeValue: source },
            ],
            StartTime: new Date(since),
            EndTime: new Date(started),
          },
        )) {
          for (const event of page.Events ?? []) {
            const record = parseRecord(event.CloudTrailEvent);
            if (!record) continue;
            const eventTime = event.EventTime?.getTime() ?? started;
            const one = new Map<string, ScopeChanges>();
            if (!addChange(one, record, { accountId, region })) continue;
            this.keepUncovered(one, eventTime, event.EventId, changes);
          }
        }
      }
    } catch (error) {
      result.calls = clients.counter.calls;
      const info = describeAwsError(error);
      if (info.accessDenied) {
        this.deniedUntil.set(key, Date.now() + DENIED_RETRY_MS);
        this.options.logger.warn(
          `The change feed cannot read CloudTrail in account ${accountId}, ${region} (${info.code}): ` +
            `changes there reach the catalog at the next scheduled discovery run. ` +
            `Allow cloudtrail:LookupEvents to the discovery role; the feed asks again in an hour.`,
        );
        return result;
      }
      throw error;
    }
    this.lastPoll.set(key, started);
    const recrawled = await this.recrawlChanges(changes);
    return {
      events: [...changes.values()].reduce(
        (n, c) => n + c.apiIds.size + (c.scopeResources ? 1 : 0),
        0,
      ),
      recrawled: recrawled.recrawled,
      calls: clients.counter.calls + recrawled.calls,
    };
  }

  /** Moves into `into` what an event names that no re-crawl started after the event has read. */
  private keepUncovered(
    named: Map<string, ScopeChanges>,
    eventTime: number,
    eventId: string | undefined,
    into: Map<string, ScopeChanges>,
  ) {
    if (eventId && this.handled.has(eventId)) return;
    const covered = (target: string) =>
      (this.crawledAt.get(target) ?? 0) > eventTime + CLOCK_MARGIN_MS;
    for (const [key, change] of named) {
      if (eventId)
        this.pending.set(key, [...(this.pending.get(key) ?? []), eventId]);
      const entry = into.get(key) ?? {
        ...change,
        apiIds: new Set<string>(),
        scopeResources: false,
      };
      for (const apiId of change.apiIds) {
        if (!covered(`${key}|${apiId}`)) entry.apiIds.add(apiId);
      }
      if (change.scopeResources && !covered(`${key}|*`))
        entry.scopeResources = true;
      if (entry.apiIds.size > 0 || entry.scopeResources) into.set(key, entry);
    }
  }

  /** Re-crawls each scope's named APIs; returns the scopes whose re-crawl succeeded. */
  private async recrawlChanges(changes: Map<string, ScopeChanges>) {
    const done = new Set<string>();
    let recrawled = 0;
    let calls = 0;
    await Promise.all(
      [...changes].map(async ([key, change]) => {
        const started = Date.now();
        const eventIds = this.pending.get(key) ?? [];
        this.pending.delete(key);
        const outcome = await this.options.recrawl(
          change.accountId,
          change.region,
          {
            apiIds: [...change.apiIds],
            scopeResources: change.scopeResources,
          },
        );
        calls += outcome.calls;
        if (!outcome.ok) {
          this.options.logger.warn(
            `The change feed could not re-crawl ${change.apiIds.size} API(s) in account ${change.accountId}, ${change.region} (${outcome.error?.code}): ${outcome.error?.message} The next poll tries again.`,
          );
          return;
        }
        for (const apiId of change.apiIds)
          this.crawledAt.set(`${key}|${apiId}`, started);
        for (const eventId of eventIds) this.handled.set(eventId, started);
        if (change.scopeResources) this.crawledAt.set(`${key}|*`, started);
        recrawled += change.apiIds.size + (change.scopeResources ? 1 : 0);
        done.add(key);
      }),
    );
    this.prune();
    return { done, recrawled, calls };
  }

  private prune() {
    const horizon = Date.now() - 2 * LOOKBACK_MS;
    for (const map of [this.crawledAt, this.handled]) {
      for (const [target, at] of map) {
        if (at < horizon) map.delete(target);
      }
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

  private async consume(region: string, queueUrl: string) {
    const { logger } = this.options;
    let backoffMs = 1_000;
    let client: SQSClient | undefined;
    while (!this.stopped) {
      try {
        client ??= await this.queueClient(region, queueUrl);
        await this.receiveOnce(client, queueUrl, region);
        backoffMs = 1_000;
      } catch (error) {
        if (this.stopped) return;
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

  /**
   * One long poll of a queue: re-crawls what the messages name and deletes the messages
   * whose re-crawl succeeded (and those that name nothing). A failed re-crawl leaves its
   * messages, which come back after the visibility timeout.
   */
  async receiveOnce(
    client: SQSClient,
    queueUrl: string,
    region: string,
  ): Promise<FeedResult> {
    const received = await client.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 20,
        VisibilityTimeout: 120,
      }),
      { abortSignal: this.abort.signal },
    );
    const messages = received.Messages ?? [];
    if (messages.length === 0) return { events: 0, recrawled: 0, calls: 1 };
    const covered = new Set(
      (await this.options.accounts()).flatMap(a =>
        a.regions.map(r => `${a.accountId}|${r}`),
      ),
    );
    const changes = new Map<string, ScopeChanges>();
    const scopeOf = new Map<string, string | undefined>();
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
      const key = named ? [...one.keys()][0] : undefined;
      // Accounts and Regions discovery does not cover are not ours to crawl.
      if (!key || !covered.has(key)) {
        scopeOf.set(message.ReceiptHandle!, undefined);
        continue;
      }
      scopeOf.set(message.ReceiptHandle!, key);
      const eventTime = Date.parse(String(record!.eventTime ?? event?.time));
      this.keepUncovered(
        one,
        Number.isNaN(eventTime) ? 0 : eventTime,
        (record as { eventID?: string }).eventID,
        changes,
      );
    }
    const { done, recrawled, calls } = await this.recrawlChanges(changes);
    const deletable = messages.filter(m => {
      const key = scopeOf.get(m.ReceiptHandle!);
      return key === undefined || done.has(key) || !changes.has(key);
    });
    for (let i = 0; i < deletable.length; i += 10) {
      await client.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: deletable.slice(i, i + 10).map((m, n) => ({
            Id: String(i + n),
            ReceiptHandle: m.ReceiptHandle!,
          })),
        }),
      );
    }
    return {
      events: messages.length,
      recrawled,
      calls: calls + 1 + Math.ceil(deletable.length / 10),
    };
  }
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
  });
}

/** The scheduler task id of the change feed's CloudTrail polling, global across replicas. */
export const CHANGE_FEED_TASK_ID = 'private-api:change-feed';

/**
 * Polls CloudTrail on a schedule (one replica at a time) and, where queues are configured,
 * consumes them on every replica (SQS hands each message to one consumer) until shutdown.
 */
export async function startChangeFeed(options: {
  runner: DiscoveryRunner;
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
