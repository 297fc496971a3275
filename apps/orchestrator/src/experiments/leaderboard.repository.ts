import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { LeaderboardEntry, LeaderboardView } from '@yardstick/contracts';

/** How the leaderboard scores and ranks, returned with it (and in docs/experiments.md). */
export const LEADERBOARD_FORMULA: LeaderboardView['formula'] = {
  itemScore: 'sum(weight_s * score_s) / sum(weight_s) over the experiment\'s scorers s that scored the item',
  configScore: 'mean of the item scores of the config\'s run (every item and replicate counts once); std is the population std',
  missingScores: 'a scorer without a score for an item is left out of both sums; an item with no score at all (failed, cancelled) '
    + 'is left out of the mean and counted in items_failed; a config with no scored item has score null and ranks last',
  confidenceInterval: 'mean +- 1.96 * std / sqrt(count) (normal approximation), when count >= 2',
  ranking: 'score mean descending (nulls last), then cost ascending, then ordinal',
};

interface LeaderboardRow extends Omit<LeaderboardEntry, 'rank' | 'score' | 'tokens' | 'latencyMs'> {
  mean: number | null;
  std: number | null;
  count: number;
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  p50: number | null;
  p95: number | null;
}

/** The leaderboard of an experiment, computed with SQL over its runs' run_items and item_stages. */
@Injectable()
export class LeaderboardRepository {
  constructor(private readonly dataSource: DataSource) {}

  async entries(experimentId: string): Promise<LeaderboardEntry[]> {
    const rows: LeaderboardRow[] = await this.dataSource.query(
      `SELECT c.id AS "configId", c.ordinal, c.run_id AS "runId", c.params, c.config,
              CASE WHEN c.status = 'running' THEN coalesce(r.status::text, 'running') ELSE c.status END AS status,
              coalesce(r.items_total, 0) AS "itemsTotal", s.failed AS "itemsFailed",
              s.mean, s.std, s.count, u.cost AS "costUsd", u.input AS "inputTokens", u.output AS "outputTokens", u.total AS "totalTokens",
              l.p50, l.p95,
              (extract(epoch FROM (r.completed_at - r.started_at)) * 1000)::float8 AS "durationMs"
       FROM experiment_configs c
       LEFT JOIN evaluation_runs r ON r.id = c.run_id
       CROSS JOIN LATERAL (
         SELECT avg(score)::float8 AS mean, stddev_pop(score)::float8 AS std, count(score)::int AS count,
                count(*) FILTER (WHERE state IN ('failed', 'cancelled'))::int AS failed
         FROM run_items WHERE run_id = c.run_id) s
       CROSS JOIN LATERAL (
         SELECT coalesce(sum(cost_usd), 0)::float8 AS cost, coalesce(sum(input_tokens), 0)::float8 AS input,
                coalesce(sum(output_tokens), 0)::float8 AS output, coalesce(sum(total_tokens), 0)::float8 AS total
         FROM item_stages WHERE run_id = c.run_id) u
       CROSS JOIN LATERAL (
         SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY latency_ms)::float8 AS p50,
                percentile_cont(0.95) WITHIN GROUP (ORDER BY latency_ms)::float8 AS p95
         FROM item_stages WHERE run_id = c.run_id AND stage = 'responses' AND state = 'succeeded' AND latency_ms IS NOT NULL) l
       WHERE c.experiment_id = $1
       ORDER BY s.mean DESC NULLS LAST, u.cost ASC, c.ordinal ASC`,
      [experimentId],
    );
    return rows.map((row, index) => ({
      rank: index + 1,
      configId: row.configId,
      ordinal: row.ordinal,
      runId: row.runId,
      params: row.params,
      config: row.config,
      status: row.status,
      score: { mean: row.mean, std: row.std, count: row.count, ci95: confidenceInterval(row.mean, row.std, row.count) },
      itemsTotal: row.itemsTotal,
      itemsFailed: row.itemsFailed,
      costUsd: row.costUsd,
      tokens: { input: row.inputTokens, output: row.outputTokens, total: row.totalTokens },
      latencyMs: { p50: row.p50, p95: row.p95 },
      durationMs: row.durationMs,
    }));
  }
}

export function confidenceInterval(mean: number | null, std: number | null, count: number): [number, number] | null {
  if (mean === null || std === null || count < 2) return null;
  const half = (1.96 * std) / Math.sqrt(count);
  return [mean - half, mean + half];
}
