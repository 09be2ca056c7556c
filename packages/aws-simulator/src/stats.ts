/** Counters and a bounded request log, for tests and benchmarks. */

export interface RequestLogEntry {
  time: string;
  service: string;
  operation: string;
  account: string;
  region: string;
  status: number;
  /** Error code when the call failed. */
  error?: string;
  /** Which fault or quota produced the answer, if any. */
  cause?: 'throttled' | 'accessDenied' | 'serverError' | 'timeout';
  durationMs: number;
}

export interface SimulatorStats {
  since: string;
  totals: { calls: number; throttled: number; errors: number };
  /** `service:Operation` → account → calls (including throttled and failed ones). */
  calls: Record<string, Record<string, number>>;
  /** `service:Operation` → account → throttled calls. */
  throttled: Record<string, Record<string, number>>;
  /** Error code → count. */
  errors: Record<string, number>;
  /** Most recent requests last; at most `logLimit`. */
  log: RequestLogEntry[];
}

export class StatsRecorder {
  private stats!: SimulatorStats;

  constructor(private readonly logLimit = 1000) {
    this.reset();
  }

  record(entry: RequestLogEntry): void {
    const key = `${entry.service}:${entry.operation}`;
    this.stats.totals.calls += 1;
    increment(this.stats.calls, key, entry.account);
    if (entry.cause === 'throttled') {
      this.stats.totals.throttled += 1;
      increment(this.stats.throttled, key, entry.account);
    }
    if (entry.error) {
      this.stats.totals.errors += 1;
      this.stats.errors[entry.error] =
        (this.stats.errors[entry.error] ?? 0) + 1;
    }
    this.stats.log.push(entry);
    if (this.stats.log.length > this.logLimit)
      this.stats.log.splice(0, this.stats.log.length - this.logLimit);
  }

  /** A copy, safe to hand out. */
  snapshot(): SimulatorStats {
    return structuredClone(this.stats);
  }

  reset(): void {
    this.stats = {
      since: new Date().toISOString(),
      totals: { calls: 0, throttled: 0, errors: 0 },
      calls: {},
      throttled: {},
      errors: {},
      log: [],
    };
  }
}

function increment(
  table: Record<string, Record<string, number>>,
  key: string,
  account: string,
): void {
  const row = (table[key] ??= {});
  row[account] = (row[account] ?? 0) + 1;
}
