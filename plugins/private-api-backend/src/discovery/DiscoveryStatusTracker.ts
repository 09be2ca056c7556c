import type { SchedulerServiceTaskScheduleDefinition } from '@backstage/backend-plugin-api';
import type { SignalsService } from '@backstage/plugin-signals-node';
import {
  DISCOVERY_SIGNAL_CHANNEL,
  DiscoverySignal,
  DiscoveryStatusResponse,
  ScopeStatus,
} from '@private-api-catalog/plugin-private-api-common';
import { Duration } from 'luxon';
import type { ScopeOutcome } from './DiscoveryRunner';

/** The schedule's interval, or why there is none (cron, manual). */
export function describeFrequency(
  frequency: SchedulerServiceTaskScheduleDefinition['frequency'],
): { every?: Duration; words: string } {
  if ('cron' in frequency) return { words: `cron ${frequency.cron}` };
  if ('trigger' in frequency) return { words: 'manual only' };
  const every = Duration.isDuration(frequency)
    ? frequency
    : Duration.fromObject(frequency);
  const words = every
    .rescale()
    .toHuman({ unitDisplay: 'long', listStyle: 'long' });
  return { every, words: `every ${words}` };
}

/** A run that started this long ago without finishing is taken as dead, not running. */
const ABANDONED_AFTER_MS = 60 * 60 * 1000;

/**
 * What users see of discovery between page loads: whether it runs, when it last ran, when
 * it runs next, and a signal on every start, scope and end so pages update live.
 *
 * Runs of this instance are tracked in memory; runs of other backend replicas are read
 * from the stored crawl status of each account and Region, which every replica writes.
 */
export class DiscoveryStatusTracker {
  private current?: { startedAt: string };
  private last?: { startedAt: string; finishedAt: string };

  constructor(
    private readonly options: {
      schedule: SchedulerServiceTaskScheduleDefinition;
      listScopes: () => Promise<ScopeStatus[]>;
      signals?: SignalsService;
      now?: () => Date;
    },
  ) {}

  /** Runs one discovery run, announcing its start and end. */
  async track<T>(run: () => Promise<T>): Promise<T> {
    const startedAt = this.now().toISOString();
    this.current = { startedAt };
    await this.publish({ type: 'run-started', at: startedAt });
    try {
      return await run();
    } finally {
      const finishedAt = this.now().toISOString();
      this.current = undefined;
      this.last = { startedAt, finishedAt };
      await this.publish({ type: 'run-finished', at: finishedAt });
    }
  }

  /** Announces one crawled account and Region (a scheduled run's, or a scoped re-crawl's). */
  async scopeCrawled(
    outcome: Pick<ScopeOutcome, 'accountId' | 'region' | 'ok'>,
  ) {
    await this.publish({
      type: 'scope-crawled',
      at: this.now().toISOString(),
      accountId: outcome.accountId,
      region: outcome.region,
      ok: outcome.ok,
    });
  }

  async status(): Promise<DiscoveryStatusResponse> {
    const now = this.now().getTime();
    const { every, words } = describeFrequency(this.options.schedule.frequency);
    const scopes = await this.options.listScopes();
    const latest = (values: Array<string | undefined>) =>
      values
        .filter((v): v is string => !!v)
        .sort()
        .pop();
    const storedStart = latest(scopes.map(s => s.lastStartedAt));
    const storedEnd = latest(
      scopes.flatMap(s => [s.lastSuccessAt, s.lastFailureAt]),
    );
    // A scope started after its last outcome is being crawled, here or on another replica.
    const inProgressElsewhere = scopes.some(
      s =>
        s.lastStartedAt &&
        s.lastStartedAt > (latest([s.lastSuccessAt, s.lastFailureAt]) ?? '') &&
        now - Date.parse(s.lastStartedAt) < ABANDONED_AFTER_MS,
    );
    const lastRun = this.lastRun(storedStart, storedEnd);
    // The scheduler starts the next run one interval after the last one started.
    const nextRunAt =
      every && lastRun?.startedAt
        ? new Date(
            Date.parse(lastRun.startedAt) + every.toMillis(),
          ).toISOString()
        : undefined;
    return {
      configured: true,
      running: !!this.current || inProgressElsewhere,
      ...(lastRun ? { lastRun } : {}),
      ...(nextRunAt ? { nextRunAt } : {}),
      schedule: words,
    };
  }

  /** The run under way here, else the latest run: this instance's or the stored one. */
  private lastRun(storedStart?: string, storedEnd?: string) {
    if (this.current) return { startedAt: this.current.startedAt };
    if (this.last && (!storedStart || this.last.startedAt >= storedStart)) {
      return this.last;
    }
    if (storedStart) return { startedAt: storedStart, finishedAt: storedEnd };
    return undefined;
  }

  private now() {
    return this.options.now?.() ?? new Date();
  }

  private async publish(message: DiscoverySignal) {
    // Live updates are a convenience: a failed publish never fails discovery.
    await this.options.signals
      ?.publish<DiscoverySignal>({
        recipients: { type: 'broadcast' },
        channel: DISCOVERY_SIGNAL_CHANNEL,
        message,
      })
      .catch(() => undefined);
  }
}
