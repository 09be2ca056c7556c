/** What the benchmarks share: their `key=value` arguments and percentiles. */

/** The `key=value` arguments of the command line. */
export const namedArgs: Record<string, string | undefined> = Object.fromEntries(
  process.argv
    .slice(2)
    .filter(a => a.includes('='))
    .map(a => a.split('=')),
);

/** A comma-separated list of numbers (`sizes=8192,20000`), or the fallback's. */
export function numberList(value: string | undefined, fallback: string) {
  return (value ?? fallback).split(',').map(Number);
}

/** The q-quantile (0.95 for p95) of the values, by the nearest-rank method. */
export function percentile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}
