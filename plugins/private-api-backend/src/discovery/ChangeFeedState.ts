import { Knex } from 'knex';

const CURSORS = 'private_api_change_feed_cursors';
const EVENTS = 'private_api_change_feed_events';
/** SQLite binds at most 999 parameters per statement; an event row takes 4. */
const CHUNK = 200;

/** A CloudTrail event whose change is in the inventory. */
export interface HandledEvent {
  eventId: string;
  accountId: string;
  region: string;
}

/** A replica's hold on one account-Region's CloudTrail poll. */
export interface PollLease {
  accountId: string;
  region: string;
  holder: string;
  /** Where the last completed poll stopped reading (epoch ms); undefined before the first. */
  polledUntil?: number;
}

/**
 * The change feed's state in the plugin's database, shared by replicas and kept across
 * restarts: the CloudTrail read position of each account and Region, the lease of the
 * replica polling it, and the events already acted on (from either source).
 *
 * The lease is a row whose holder changes only by a conditional UPDATE (free or expired),
 * which SQLite and PostgreSQL both run atomically: of two replicas polling at once, one
 * gets the scope and the other skips it.
 */
export class ChangeFeedState {
  constructor(private readonly db: Knex) {}

  /** Takes the scope's poll for `leaseMs`; undefined when another holder has it. */
  async claim(
    accountId: string,
    region: string,
    holder: string,
    leaseMs: number,
  ): Promise<PollLease | undefined> {
    const now = Date.now();
    await this.db(CURSORS)
      .insert({ account_id: accountId, region })
      .onConflict(['account_id', 'region'])
      .ignore();
    const taken = await this.db(CURSORS)
      .where({ account_id: accountId, region })
      .andWhere(q =>
        q.whereNull('lease_holder').orWhere('lease_expires_at', '<', now),
      )
      .update({ lease_holder: holder, lease_expires_at: now + leaseMs });
    if (taken !== 1) return undefined;
    const row = await this.db(CURSORS)
      .where({ account_id: accountId, region })
      .first('polled_until');
    return {
      accountId,
      region,
      holder,
      polledUntil:
        row?.polled_until === null || row?.polled_until === undefined
          ? undefined
          : Number(row.polled_until),
    };
  }

  /**
   * Ends a poll in one transaction: records the events it found handled (re-crawled, or
   * covered by a re-crawl that started after them), moves the read position to
   * `polledUntil` and frees the lease. Without `polledUntil` (the poll failed) the
   * position stays and the next poll reads the same window again.
   */
  async finish(
    lease: PollLease,
    outcome: { polledUntil?: number; handled?: HandledEvent[] } = {},
  ): Promise<void> {
    await this.db.transaction(async tx => {
      await insertHandled(tx, outcome.handled ?? []);
      await tx(CURSORS)
        .where({
          account_id: lease.accountId,
          region: lease.region,
          lease_holder: lease.holder,
        })
        .update({
          lease_holder: null,
          lease_expires_at: null,
          ...(outcome.polledUntil !== undefined
            ? { polled_until: outcome.polledUntil }
            : {}),
        });
    });
  }

  /** Records events whose change a re-crawl has put in the inventory. */
  async recordHandled(events: HandledEvent[]): Promise<void> {
    await insertHandled(this.db, events);
  }

  /** Which of these event ids some replica has already acted on. */
  async handledAmong(eventIds: string[]): Promise<Set<string>> {
    const handled = new Set<string>();
    for (let i = 0; i < eventIds.length; i += CHUNK * 4) {
      const rows = await this.db(EVENTS)
        .whereIn('event_id', eventIds.slice(i, i + CHUNK * 4))
        .select('event_id');
      for (const row of rows) handled.add(row.event_id);
    }
    return handled;
  }

  /** Forgets events handled before `before` (epoch ms): no poll reads that far back. */
  async prune(before: number): Promise<void> {
    await this.db(EVENTS).where('handled_at', '<', before).delete();
  }
}

async function insertHandled(db: Knex, events: HandledEvent[]) {
  const unique = [...new Map(events.map(e => [e.eventId, e])).values()];
  const now = Date.now();
  for (let i = 0; i < unique.length; i += CHUNK) {
    await db(EVENTS)
      .insert(
        unique.slice(i, i + CHUNK).map(e => ({
          event_id: e.eventId,
          account_id: e.accountId,
          region: e.region,
          handled_at: now,
        })),
      )
      .onConflict('event_id')
      .ignore();
  }
}
