import { createHash, randomUUID } from 'node:crypto';

/**
 * What AWS tells about changes: every write to the estate (API calls and the control
 * route's mutations) becomes a CloudTrail management event, which shows in the Region's
 * event history (LookupEvents) after a delivery delay, and which EventBridge ("AWS API Call
 * via CloudTrail") sends to the SQS queues of that Region within seconds.
 */
export interface ChangeFeedOptions {
  /** Seconds before an event shows in LookupEvents. AWS: typically minutes. Default 0. */
  lookupDelaySeconds?: number;
  /** Seconds before EventBridge delivers an event to the queues. Default 1. */
  eventBridgeDelaySeconds?: number;
  /** Share of events (0 to 1) that never arrive anywhere: tests of the safety net. Default 0. */
  dropRate?: number;
  /** SQS queues fed with every event of their Region, whichever account made the call. */
  queues?: Array<{ accountId: string; region: string; name: string }>;
}

export interface CloudTrailEvent {
  eventId: string;
  eventName: string;
  eventSource: string;
  eventTime: Date;
  /** When LookupEvents starts answering it. */
  visibleAt: Date;
  accountId: string;
  region: string;
  username: string;
  accessKeyId?: string;
  requestParameters: Record<string, unknown>;
  responseElements?: Record<string, unknown>;
}

interface QueuedMessage {
  messageId: string;
  body: string;
  md5: string;
  visibleAt: number;
  receiptHandle?: string;
}

/** Event history kept per account and Region (AWS keeps 90 days; a simulator needs less). */
const HISTORY_LIMIT = 20_000;

export class ChangeFeed {
  private readonly history = new Map<string, CloudTrailEvent[]>();
  private readonly queues = new Map<string, QueuedMessage[]>();
  private closed = false;
  private dropped = 0;
  private readonly options: Required<Omit<ChangeFeedOptions, 'queues'>>;

  constructor(options: ChangeFeedOptions = {}) {
    this.options = {
      lookupDelaySeconds: options.lookupDelaySeconds ?? 0,
      eventBridgeDelaySeconds: options.eventBridgeDelaySeconds ?? 1,
      dropRate: options.dropRate ?? 0,
    };
    for (const q of options.queues ?? []) this.createQueue(q);
  }

  static queueKey(region: string, accountId: string, name: string) {
    return `${region}|${accountId}|${name}`;
  }

  createQueue(q: { accountId: string; region: string; name: string }) {
    const key = ChangeFeed.queueKey(q.region, q.accountId, q.name);
    if (!this.queues.has(key)) this.queues.set(key, []);
  }

  /** Changes the delays or the drop rate (tests and benchmarks). */
  configure(options: Omit<ChangeFeedOptions, 'queues'>) {
    Object.assign(
      this.options,
      Object.fromEntries(
        Object.entries(options).filter(([, v]) => v !== undefined),
      ),
    );
  }

  get droppedEvents() {
    return this.dropped;
  }

  record(event: {
    eventName: string;
    eventSource: string;
    accountId: string;
    region: string;
    username: string;
    accessKeyId?: string;
    requestParameters: Record<string, unknown>;
    responseElements?: Record<string, unknown>;
    time: Date;
  }): CloudTrailEvent | undefined {
    if (this.options.dropRate > 0 && Math.random() < this.options.dropRate) {
      this.dropped += 1;
      return undefined;
    }
    const recorded: CloudTrailEvent = {
      ...event,
      eventId: randomUUID(),
      eventTime: event.time,
      visibleAt: new Date(
        event.time.getTime() + this.options.lookupDelaySeconds * 1000,
      ),
    };
    const key = `${event.accountId}|${event.region}`;
    const list = this.history.get(key) ?? [];
    list.push(recorded);
    if (list.length > HISTORY_LIMIT)
      list.splice(0, list.length - HISTORY_LIMIT);
    this.history.set(key, list);

    const body = JSON.stringify(eventBridgeEnvelope(recorded));
    const md5 = createHash('md5').update(body).digest('hex');
    const visibleAt =
      event.time.getTime() + this.options.eventBridgeDelaySeconds * 1000;
    for (const [queueKey, messages] of this.queues) {
      if (!queueKey.startsWith(`${event.region}|`)) continue;
      messages.push({ messageId: randomUUID(), body, md5, visibleAt });
    }
    return recorded;
  }

  /** Events of the account and Region that LookupEvents shows now, newest first. */
  lookup(accountId: string, region: string, now: Date): CloudTrailEvent[] {
    return (this.history.get(`${accountId}|${region}`) ?? [])
      .filter(e => e.visibleAt <= now)
      .sort((a, b) => b.eventTime.getTime() - a.eventTime.getTime());
  }

  hasQueue(key: string) {
    return this.queues.has(key);
  }

  /** Messages in a queue, visible or in flight (not yet deleted): tests and benchmarks. */
  queueDepth(key: string): number {
    return this.queues.get(key)?.length ?? 0;
  }

  /** Up to `max` visible messages, hidden for `visibilitySeconds`; waits up to `waitSeconds` for one. */
  async receive(
    key: string,
    max: number,
    waitSeconds: number,
    visibilitySeconds: number,
  ): Promise<QueuedMessage[]> {
    const deadline = Date.now() + waitSeconds * 1000;
    for (;;) {
      const now = Date.now();
      const messages = (this.queues.get(key) ?? [])
        .filter(m => m.visibleAt <= now)
        .slice(0, max);
      if (messages.length > 0 || now >= deadline || this.closed) {
        for (const m of messages) {
          m.visibleAt = now + visibilitySeconds * 1000;
          m.receiptHandle = randomUUID();
        }
        return messages.map(m => ({ ...m }));
      }
      await new Promise(resolve => setTimeout(resolve, 100));
    }
  }

  /** Deletes by receipt handle; false when the handle is not (or no longer) valid. */
  delete(key: string, receiptHandle: string): boolean {
    const messages = this.queues.get(key) ?? [];
    const index = messages.findIndex(m => m.receiptHandle === receiptHandle);
    if (index < 0) return false;
    messages.splice(index, 1);
    return true;
  }

  close() {
    this.closed = true;
  }
}

/** The "AWS API Call via CloudTrail" event EventBridge sends to a rule's targets. */
function eventBridgeEnvelope(e: CloudTrailEvent) {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'AWS API Call via CloudTrail',
    source: `aws.${e.eventSource.split('.')[0]}`,
    account: e.accountId,
    time: e.eventTime.toISOString().replace(/\.\d+Z$/, 'Z'),
    region: e.region,
    resources: [],
    detail: cloudTrailRecord(e),
  };
}

/** The CloudTrail record: LookupEvents' `CloudTrailEvent` string and EventBridge's `detail`. */
export function cloudTrailRecord(e: CloudTrailEvent) {
  return {
    eventVersion: '1.09',
    userIdentity: {
      type: 'AssumedRole',
      accountId: e.accountId,
      accessKeyId: e.accessKeyId,
    },
    eventTime: e.eventTime.toISOString().replace(/\.\d+Z$/, 'Z'),
    eventSource: e.eventSource,
    eventName: e.eventName,
    awsRegion: e.region,
    sourceIPAddress: '127.0.0.1',
    userAgent: 'aws-simulator',
    requestParameters: e.requestParameters,
    responseElements: e.responseElements ?? null,
    eventID: e.eventId,
    readOnly: false,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: e.accountId,
    eventCategory: 'Management',
  };
}
