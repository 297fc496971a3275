// Run aggregates of scores: pure functions, for one scorer's values or for the weighted totals of a run's items.
// Shared by the services that aggregate scores (the orchestrator computes the same aggregates in SQL; these are the reference).
//
// Every function takes finite numbers (a non-finite one throws a RangeError rather than turning the aggregate into NaN)
// and answers null for an empty list: "no data" is not a score of 0.

/** Arithmetic mean; null when empty. */
export function mean(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  let sum = 0;
  for (const value of finite(values)) sum += value;
  return sum / values.length;
}

/** Population standard deviation, sqrt(Σ(x − mean)² / n): the spread of these items, not an estimate for unseen ones. 0 for one value. */
export function populationStd(values: readonly number[]): number | null {
  const average = mean(values);
  if (average === null) return null;
  let squares = 0;
  for (const value of values) squares += (value - average) ** 2;
  return Math.sqrt(squares / values.length);
}

export function min(values: readonly number[]): number | null {
  return values.length === 0 ? null : Math.min(...finite(values));
}

export function max(values: readonly number[]): number | null {
  return values.length === 0 ? null : Math.max(...finite(values));
}

/**
 * The p-th percentile (p in [0, 100]) by linear interpolation between closest ranks: rank h = (n − 1)·p/100 in the sorted
 * values, interpolated between the values at floor(h) and ceil(h). This is Hyndman–Fan type 7, the default of NumPy and R and
 * Excel's PERCENTILE.INC. A single value is every percentile of itself.
 */
export function percentile(values: readonly number[], p: number): number | null {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile ${p} is outside [0, 100]`);
  return values.length === 0 ? null : percentileOfSorted(sortedCopy(values), p);
}

export function p50(values: readonly number[]): number | null {
  return percentile(values, 50);
}

export function p95(values: readonly number[]): number | null {
  return percentile(values, 95);
}

/** Share of verdicts that are passes, among items that have a verdict (undefined = the scorer gives none); null when none has. */
export function passRate(verdicts: readonly (boolean | undefined)[]): number | null {
  let judged = 0;
  let passed = 0;
  for (const verdict of verdicts) {
    if (verdict === undefined) continue;
    judged++;
    if (verdict) passed++;
  }
  return judged === 0 ? null : passed / judged;
}

export interface ScoreStatistics {
  count: number;
  mean: number | null;
  std: number | null;
  min: number | null;
  max: number | null;
  p50: number | null;
  p95: number | null;
  passRate: number | null;
}

/** All the aggregates of one series, sorting once. `verdicts` are the items' `passed`, when the scorer gives them. */
export function summarizeScores(values: readonly number[], verdicts: readonly (boolean | undefined)[] = []): ScoreStatistics {
  const sorted = sortedCopy(values);
  const empty = sorted.length === 0;
  return {
    count: sorted.length,
    mean: mean(sorted),
    std: populationStd(sorted),
    min: empty ? null : sorted[0],
    max: empty ? null : sorted[sorted.length - 1],
    p50: empty ? null : percentileOfSorted(sorted, 50),
    p95: empty ? null : percentileOfSorted(sorted, 95),
    passRate: passRate(verdicts),
  };
}

function percentileOfSorted(sorted: readonly number[], p: number): number {
  const rank = ((sorted.length - 1) * p) / 100;
  const below = Math.floor(rank);
  const above = Math.ceil(rank);
  return sorted[below] + (rank - below) * (sorted[above] - sorted[below]);
}

function sortedCopy(values: readonly number[]): number[] {
  return [...finite(values)].sort((a, b) => a - b);
}

function finite(values: readonly number[]): readonly number[] {
  for (const value of values) if (!Number.isFinite(value)) throw new RangeError(`score ${value} is not a finite number`);
  return values;
}
