import type { TrafficSpec } from './model';

/**
 * Deterministic traffic: the number of requests (or WebSocket messages) in any time
 * bucket is a pure function of the stage's seed, its daily volume and the clock hour, so
 * repeated GetMetricData calls agree with each other and across runs.
 *
 * Shape: a daily cycle peaking mid-afternoon UTC, quieter weekends, ±20% hourly noise.
 * Both factors average 1, so a stage with `daily: N` sees about N requests a day.
 */

const HOUR_MS = 3_600_000;
/** CloudWatch keeps 1-hour data points for 455 days (AWS-FACTS §8). */
const RETENTION_MS = 455 * 24 * HOUR_MS;

/** FNV-1a: a cheap stable 32-bit hash of the stage seed. */
export function hashSeed(seed: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) {
    hash ^= seed.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** murmur3's finalizer: a well-mixed value in [0, 1) for (seed, n). */
function unit(seedHash: number, n: number, salt: number): number {
  let h =
    (seedHash ^ Math.imul(n, 0x9e3779b1) ^ Math.imul(salt, 0x85ebca6b)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 2 ** 32;
}

function expectedInHour(
  seedHash: number,
  perDay: number,
  hourIndex: number,
): number {
  const date = new Date(hourIndex * HOUR_MS);
  const diurnal =
    1 + 0.6 * Math.sin((2 * Math.PI * (date.getUTCHours() - 9)) / 24);
  const weekday = date.getUTCDay() === 0 || date.getUTCDay() === 6 ? 0.7 : 1.12;
  const noise = 0.8 + 0.4 * unit(seedHash, hourIndex, 1);
  return (perDay / 24) * diurnal * weekday * noise;
}

export interface Window {
  /** Epoch ms: nothing before (creation of the API, start of retention). */
  from: number;
  /** Epoch ms: nothing after (now). */
  to: number;
}

export function dataWindow(createdDate: Date, now: Date): Window {
  return {
    from: Math.max(createdDate.getTime(), now.getTime() - RETENTION_MS),
    to: now.getTime(),
  };
}

/**
 * Requests in [start, start + periodMs): the expected count of each overlapping hour,
 * prorated, rounded up or down by a deterministic draw so that sparse traffic (a few
 * requests a day) shows as occasional ones rather than fractions.
 */
export function countInBucket(
  seedHash: number,
  perDay: number,
  start: number,
  periodMs: number,
  window: Window,
): number {
  const from = Math.max(start, window.from);
  const to = Math.min(start + periodMs, window.to);
  if (perDay <= 0 || to <= from) return 0;
  let expected = 0;
  for (let hour = Math.floor(from / HOUR_MS); hour * HOUR_MS < to; hour++) {
    const overlap =
      Math.min(to, (hour + 1) * HOUR_MS) - Math.max(from, hour * HOUR_MS);
    expected += expectedInHour(seedHash, perDay, hour) * (overlap / HOUR_MS);
  }
  const whole = Math.floor(expected);
  return (
    whole +
    (unit(seedHash, Math.floor(start / 1000), 2) < expected - whole ? 1 : 0)
  );
}

export type TrafficMetric = 'requests' | 'connects';

export function dailyVolume(
  traffic: TrafficSpec,
  metric: TrafficMetric,
): number {
  return metric === 'requests' ? traffic.daily : traffic.connectsPerDay;
}
