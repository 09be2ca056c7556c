/**
 * GET /discovery/status: whether discovery runs, when it last ran, and an estimate of when
 * it runs next (the last run's start plus the configured frequency).
 */
export interface DiscoveryStatusResponse {
  /** False when the backend has no privateApi section: discovery never runs. */
  configured: boolean;
  /** A run is under way on this backend instance. */
  running: boolean;
  /** The last run this instance started, or, when none, the latest crawl stored. */
  lastRun?: { startedAt?: string; finishedAt?: string };
  /**
   * When the next scheduled run should start (ISO 8601). Absent for cron or manual
   * schedules, and before the first run.
   */
  nextRunAt?: string;
  /** The schedule in words: "every 10 minutes", "cron 0 * * * *", "manual only". */
  schedule?: string;
}

/**
 * The Backstage signals channel discovery publishes on (to every signed-in user): a run
 * starts, each account and Region is crawled, the run ends. Pages update without a reload.
 */
export const DISCOVERY_SIGNAL_CHANNEL = 'private-api:discovery';

/** The messages of {@link DISCOVERY_SIGNAL_CHANNEL}. */
export type DiscoverySignal =
  | { type: 'run-started'; at: string }
  | {
      type: 'scope-crawled';
      at: string;
      accountId: string;
      region: string;
      ok: boolean;
    }
  | { type: 'run-finished'; at: string };
