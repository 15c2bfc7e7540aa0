// Small statistics for the bench: percentiles, ratios, and rounding for display.

/** Percentile with linear interpolation between closest ranks (R's type 7), so p99 of 100 samples is not just the max. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (rank - lo);
}

export interface Pcts {
  p50: number;
  p90: number;
  p99: number;
  n: number;
}

export function pcts(values: readonly number[]): Pcts {
  return { p50: percentile(values, 50), p90: percentile(values, 90), p99: percentile(values, 99), n: values.length };
}

export const median = (values: readonly number[]): number => percentile(values, 50);

/** Rounds for tables and JSON: enough digits to compare, not so many that noise looks like signal. */
export function round(x: number, digits = 2): number {
  if (!Number.isFinite(x)) return x;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

export const ratio = (a: number, b: number): number => (b === 0 ? NaN : a / b);
