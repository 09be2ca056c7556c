import { ConflictError } from '@backstage/errors';
import { Knex } from 'knex';

/** How long a lock (and an apply lease) lives without a heartbeat, and how often it beats. */
export interface LeaseTimings {
  /** A lock or lease not renewed for this long is taken to be its holder's crash. */
  ttlMs: number;
  /** How long to wait for another writer of the same API before giving up. */
  waitMs: number;
}

export const DEFAULT_LEASE_TIMINGS: LeaseTimings = {
  ttlMs: 60_000,
  waitMs: 120_000,
};

const TABLE = 'private_api_api_locks';

/** The key of one API: the lock covers every policy write to it. */
export function apiLockKey(accountId: string, region: string, apiId: string) {
  return `${accountId}:${region}:${apiId}`;
}

/** A held lock: `assertHeld` before each write to AWS stops a writer that lost it. */
export interface HeldLock {
  readonly key: string;
  readonly holder: string;
  /** Throws when the lock expired and someone else may hold it now. */
  assertHeld(): void;
}

/**
 * One writer per API across backend replicas, on SQLite and PostgreSQL alike: a row per API
 * whose holder and expiry change only by a conditional UPDATE (free, or expired), which both
 * databases run atomically. The holder renews the expiry while it works (a heartbeat), so a
 * crashed replica's lock frees itself after `ttlMs` and the recovery can take over.
 * Holding no database transaction while AWS answers keeps the pool free.
 */
export class ApiLocks {
  constructor(
    private readonly db: Knex,
    private readonly timings: LeaseTimings = DEFAULT_LEASE_TIMINGS,
  ) {}

  /** Tries once; true when `holder` now holds the lock on `key`. */
  async tryAcquire(key: string, holder: string): Promise<boolean> {
    const now = new Date();
    await this.db(TABLE)
      .insert({ api_key: key, holder: null, expires_at: null })
      .onConflict('api_key')
      .ignore();
    const taken = await this.db(TABLE)
      .where({ api_key: key })
      .andWhere(q =>
        q
          .whereNull('holder')
          .orWhere('expires_at', '<', now)
          .orWhere('holder', holder),
      )
      .update({
        holder,
        expires_at: new Date(now.getTime() + this.timings.ttlMs),
      });
    return taken === 1;
  }

  /** Extends the lock; false when it was lost (expired and taken by someone else). */
  async renew(key: string, holder: string): Promise<boolean> {
    const renewed = await this.db(TABLE)
      .where({ api_key: key, holder })
      .update({ expires_at: new Date(Date.now() + this.timings.ttlMs) });
    return renewed === 1;
  }

  async release(key: string, holder: string): Promise<void> {
    await this.db(TABLE)
      .where({ api_key: key, holder })
      .update({ holder: null, expires_at: null });
  }

  /**
   * Runs `fn` holding the API's lock, waiting (with jittered backoff) while another writer
   * holds it; a heartbeat renews the lock (and whatever `onBeat` renews, such as the apply
   * lease) every third of the TTL. Gives up with a 409 after `waitMs`.
   */
  async withLock<T>(
    key: string,
    holder: string,
    fn: (lock: HeldLock) => Promise<T>,
    onBeat?: () => Promise<void>,
  ): Promise<T> {
    const deadline = Date.now() + this.timings.waitMs;
    let delay = 25;
    while (!(await this.tryAcquire(key, holder))) {
      if (Date.now() > deadline) {
        throw new ConflictError(
          `Another change to API ${key} has been in progress for more than ${Math.round(
            this.timings.waitMs / 1000,
          )} s; try again when it has finished`,
        );
      }
      const wait = delay + Math.random() * delay;
      await new Promise(r => setTimeout(r, wait));
      delay = Math.min(delay * 2, 1_000);
    }
    let lost = false;
    const beat = setInterval(() => {
      this.renew(key, holder)
        .then(held => {
          if (!held) lost = true;
          return onBeat?.();
        })
        .catch(() => {
          // A failed renewal is retried at the next beat; expiry is the safety net.
        });
    }, Math.max(50, Math.floor(this.timings.ttlMs / 3)));
    const lock: HeldLock = {
      key,
      holder,
      assertHeld() {
        if (lost) {
          throw new ConflictError(
            `The lock on API ${key} expired while changing it (the database was unreachable for too long); nothing more was written`,
          );
        }
      },
    };
    try {
      return await fn(lock);
    } finally {
      clearInterval(beat);
      await this.release(key, holder);
    }
  }
}
