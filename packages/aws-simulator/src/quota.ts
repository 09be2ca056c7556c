import type { QuotasInput } from './estate/schema';

/**
 * Control-plane quotas per account, as token buckets.
 *
 * From AWS-FACTS §7 (API Gateway, fixed by AWS): all management calls 10 rps with a burst
 * of 40; GetResources 5 per 2 s; CreateDeployment 1 per 5 s. Assumption (verify): v1 and
 * v2 calls share the account bucket, since both sign as `apigateway`.
 *
 * The other services' numbers are assumptions in the order of magnitude AWS documents
 * (EC2: a non-mutating bucket of 100 refilling 20/s); they are here so that a crawler that
 * hammers them sees throttling too. All of them can be overridden or turned off.
 */
export interface Bucket {
  /** Tokens added per second. */
  rate: number;
  /** Bucket size: calls allowed in a burst. */
  burst: number;
}

export interface QuotaConfig {
  /** By signing name: apigateway, ec2, elasticloadbalancing, sts, monitoring, organizations. */
  services: Record<string, Bucket | false>;
  /** By `signingName:Operation`, applied on top of the service bucket. */
  operations: Record<string, Bucket | false>;
}

export const DEFAULT_QUOTAS: QuotaConfig = {
  services: {
    apigateway: { rate: 10, burst: 40 },
    ec2: { rate: 20, burst: 100 },
    elasticloadbalancing: { rate: 10, burst: 40 },
    sts: { rate: 50, burst: 100 },
    monitoring: { rate: 50, burst: 50 },
    organizations: { rate: 5, burst: 10 },
    // LookupEvents: 2 per second per account and Region (the server keys it by Region too).
    cloudtrail: { rate: 2, burst: 2 },
  },
  operations: {
    'apigateway:GetResources': { rate: 2.5, burst: 5 },
    'apigateway:CreateDeployment': { rate: 0.2, burst: 1 },
  },
};

/** Defaults, then the estate's overrides, then the caller's; `false` anywhere turns quotas off. */
export function resolveQuotas(
  ...overrides: Array<QuotasInput | undefined>
): QuotaConfig | false {
  let config: QuotaConfig = DEFAULT_QUOTAS;
  for (const override of overrides) {
    if (override === undefined) continue;
    if (override === false) return false;
    config = {
      services: { ...config.services, ...override.services },
      operations: { ...config.operations, ...override.operations },
    };
  }
  return config;
}

class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(private readonly bucket: Bucket, now: number) {
    this.tokens = bucket.burst;
    this.last = now;
  }

  /** Seconds until one token is available (0 when one is available now). */
  wait(now: number): number {
    this.tokens = Math.min(
      this.bucket.burst,
      this.tokens + ((now - this.last) / 1000) * this.bucket.rate,
    );
    this.last = now;
    return this.tokens >= 1 ? 0 : (1 - this.tokens) / this.bucket.rate;
  }

  take(): void {
    this.tokens -= 1;
  }
}

export class QuotaEnforcer {
  private buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly config: QuotaConfig | false,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  /**
   * Takes a token from the account's service bucket and operation bucket, or none when
   * either is empty. Returns undefined when the call may proceed, else the whole seconds
   * (at least 1) to wait: the Retry-After value.
   */
  acquire(
    accountId: string,
    signingName: string,
    operation: string,
  ): number | undefined {
    if (!this.config) return undefined;
    const now = this.clock();
    const buckets = [
      this.bucket(
        `${accountId}|${signingName}`,
        this.config.services[signingName],
        now,
      ),
      this.bucket(
        `${accountId}|${signingName}:${operation}`,
        this.config.operations[`${signingName}:${operation}`],
        now,
      ),
    ].filter((b): b is TokenBucket => b !== undefined);
    const wait = Math.max(0, ...buckets.map(b => b.wait(now)));
    if (wait > 0) return Math.max(1, Math.ceil(wait));
    buckets.forEach(b => b.take());
    return undefined;
  }

  /** Full buckets again (between benchmark runs or tests). */
  reset(): void {
    this.buckets = new Map();
  }

  /** The bucket of `key`, created full at `now`: the instant its first refill uses. */
  private bucket(
    key: string,
    bucket: Bucket | false | undefined,
    now: number,
  ): TokenBucket | undefined {
    if (!bucket) return undefined;
    let found = this.buckets.get(key);
    if (!found) {
      found = new TokenBucket(bucket, now);
      this.buckets.set(key, found);
    }
    return found;
  }
}
