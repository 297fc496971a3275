/**
 * The select list of a ScoreAggregate over the value expression `v` (SQL, trusted: never user input). `passed` is a boolean
 * SQL expression per row, null when the row has no verdict (left out of the pass rate, which is null when no row has one).
 * percentile_cont interpolates between closest ranks, as `percentile` in @yardstick/statistics.
 */
export function scoreAggregateColumns(v: string, passed: string): string {
  return `count(${v})::int AS count, avg(${v})::float8 AS mean, stddev_pop(${v})::float8 AS std,
          min(${v})::float8 AS min, max(${v})::float8 AS max,
          percentile_cont(0.5) WITHIN GROUP (ORDER BY ${v})::float8 AS p50,
          percentile_cont(0.95) WITHIN GROUP (ORDER BY ${v})::float8 AS p95,
          avg((${passed})::int)::float8 AS "passRate"`;
}

/**
 * Whether an item of `run_items` (alias `i`) passed: every scorer that gave a verdict passed; null (no verdict) when none did,
 * e.g. a run of cosine_similarity without a threshold, or a failed item.
 */
export const ITEM_PASSED = `CASE WHEN i.verdicts = '{}'::jsonb THEN NULL ELSE NOT jsonb_path_exists(i.verdicts, '$.* ? (@ == false)') END`;

/** Picks the aggregate fields out of a row that has other columns too. */
export function toScoreAggregate<T extends { count: number; mean: number | null; std: number | null; min: number | null; max: number | null;
  p50: number | null; p95: number | null; passRate: number | null }>(row: T) {
  const { count, mean, std, min, max, p50, p95, passRate } = row;
  return { count, mean, std, min, max, p50, p95, passRate };
}
