/**
 * Client-side token buckets that match API Gateway's control-plane quotas, so discovery
 * runs at the quota instead of into it (the SDK's retry is only a safety net).
 *
 * AWS-FACTS §7: per account, all management calls share 10 requests/s with a burst of 40;
 * GetResources is further limited to 5 requests per 2 s; CreateDeployment to 1 per 5 s.
 * ASSUMPTIONS (verify), both the conservative choice:
 * - API Gateway v2 (HTTP/WebSocket) management calls share the same bucket as v1;
 * - the bucket is per account across Regions, as AWS-FACTS states it (the quota page's
 *   general note says "per account, per Region").
 */

export interface QuotaSettings {
  requestsPerSecond: number;
  burst: number;
  getResourcesPerSecond: number;
  getResourcesBurst: number;
  createDeploymentIntervalSeconds: number;
}

export const DEFAULT_QUOTAS: QuotaSettings = {
  requestsPerSecond: 10,
  burst: 40,
  getResourcesPerSecond: 2.5,
  getResourcesBurst: 5,
  createDeploymentIntervalSeconds: 5,
};

const DEPLOYMENT_MARGIN_SECONDS = 0.5;
/**
 * Tokens of AWS's burst the client never spends (at most a quarter of it). Both buckets
 * refill at the same rate, so AWS's then always holds this many more than ours: a call that
 * the network or a busy event loop delays lands together with the next without being
 * throttled (each throttle costs a retry delay and an emptied bucket). It costs one second
 * of burst per crawl.
 */
const JITTER_MARGIN_TOKENS = 10;

/** A token bucket whose waiters are served in arrival order. */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly ratePerSecond: number,
    private readonly capacity: number,
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = ms =>
      new Promise(resolve => setTimeout(resolve, ms)),
  ) {
    this.tokens = capacity;
    this.updatedAt = now();
  }

  /** Resolves when one token has been taken. */
  take(): Promise<void> {
    const turn = this.queue.then(() => this.takeWhenAvailable());
    // The next waiter queues behind this one whether or not it fails.
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  /** Empties the bucket: after a throttling answer, the server's count is ahead of ours. */
  drain(): void {
    this.refill();
    this.tokens = Math.min(this.tokens, 0);
  }

  private async takeWhenAvailable(): Promise<void> {
    for (;;) {
      this.refill();
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      const waitMs = Math.ceil(((1 - this.tokens) / this.ratePerSecond) * 1000);
      await this.sleep(waitMs);
    }
  }

  private refill(): void {
    const now = this.now();
    const elapsedSeconds = (now - this.updatedAt) / 1000;
    this.updatedAt = now;
    this.tokens = Math.min(
      this.capacity,
      this.tokens + elapsedSeconds * this.ratePerSecond,
    );
  }
}

/** The buckets of one AWS account. */
export class AccountQuota {
  private readonly total: TokenBucket;
  private readonly perOperation: Map<string, TokenBucket>;

  constructor(
    settings: QuotaSettings,
    clock?: { now: () => number; sleep: (ms: number) => Promise<void> },
  ) {
    this.total = new TokenBucket(
      settings.requestsPerSecond,
      Math.max(
        1,
        settings.burst -
          Math.min(JITTER_MARGIN_TOKENS, Math.floor(settings.burst / 4)),
      ),
      clock?.now,
      clock?.sleep,
    );
    this.perOperation = new Map([
      [
        'GetResources',
        new TokenBucket(
          settings.getResourcesPerSecond,
          settings.getResourcesBurst,
          clock?.now,
          clock?.sleep,
        ),
      ],
      [
        'CreateDeployment',
        // Half a second of margin: with a bucket of one, network jitter between two calls
        // 5 s apart would otherwise let the second reach AWS a moment early.
        new TokenBucket(
          1 /
            (settings.createDeploymentIntervalSeconds +
              DEPLOYMENT_MARGIN_SECONDS),
          1,
          clock?.now,
          clock?.sleep,
        ),
      ],
    ]);
  }

  /** Waits until `operation` may be sent under the operation's and the account's quota. */
  async acquire(operation: string): Promise<void> {
    await this.perOperation.get(operation)?.take();
    await this.total.take();
  }

  /** Called when AWS throttled `operation` anyway. */
  throttled(operation: string): void {
    this.perOperation.get(operation)?.drain();
    this.total.drain();
  }
}

/** One `AccountQuota` per account, shared by every client and Region of that account. */
export class QuotaRegistry {
  private readonly accounts = new Map<string, AccountQuota>();

  constructor(private readonly settings: QuotaSettings) {}

  forAccount(accountId: string): AccountQuota {
    let quota = this.accounts.get(accountId);
    if (!quota) {
      quota = new AccountQuota(this.settings);
      this.accounts.set(accountId, quota);
    }
    return quota;
  }
}
