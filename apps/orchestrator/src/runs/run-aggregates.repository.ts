import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ItemStageState, RunCost, ScoreSummary, Stage, StageProgress, TokenUsage } from '@yardstick/contracts';

export interface ItemCounts {
  total: number;
  inProgress: number;
  succeeded: number;
  failed: number;
}

/** Everything about a run that is derived from its items' rows, never counted up separately. */
@Injectable()
export class RunAggregatesRepository {
  constructor(private readonly dataSource: DataSource) {}

  async itemCounts(runId: string, manager: EntityManager = this.dataSource.manager): Promise<ItemCounts> {
    const [row] = await manager.query(
      `SELECT count(*)::int AS total,
              count(*) FILTER (WHERE state = 'in_progress')::int AS "inProgress",
              count(*) FILTER (WHERE state = 'succeeded')::int AS succeeded,
              count(*) FILTER (WHERE state = 'failed')::int AS failed
       FROM run_items WHERE run_id = $1`,
      [runId],
    );
    return row;
  }

  async hasItemsInProgress(runId: string): Promise<boolean> {
    const [row] = await this.dataSource.query(
      `SELECT EXISTS (SELECT 1 FROM run_items WHERE run_id = $1 AND state = 'in_progress') AS busy`, [runId],
    );
    return row.busy;
  }

  /** Mean and population standard deviation of the items' total scores. */
  async score(runId: string, manager: EntityManager = this.dataSource.manager): Promise<ScoreSummary> {
    const [row] = await manager.query(
      `SELECT avg(score)::float8 AS mean, stddev_pop(score)::float8 AS std, count(score)::int AS count FROM run_items WHERE run_id = $1`,
      [runId],
    );
    return row;
  }

  async usageAndCost(runId: string, manager: EntityManager = this.dataSource.manager): Promise<{ usage: TokenUsage; cost: RunCost }> {
    const rows: Array<{ stage: Stage; input: number; output: number; total: number; cost: string }> = await manager.query(
      `SELECT stage, coalesce(sum(input_tokens), 0)::int AS input, coalesce(sum(output_tokens), 0)::int AS output,
              coalesce(sum(total_tokens), 0)::int AS total, coalesce(sum(cost_usd), 0)::text AS cost
       FROM item_stages WHERE run_id = $1 GROUP BY stage`,
      [runId],
    );
    const usage = { inputTokens: 0, outputTokens: 0, totalTokens: 0 };
    const costByStage: Record<string, number> = {};
    let totalCost = 0;
    for (const row of rows) {
      usage.inputTokens += row.input;
      usage.outputTokens += row.output;
      usage.totalTokens += row.total;
      costByStage[row.stage] = Number(row.cost);
      totalCost += Number(row.cost);
    }
    return {
      usage,
      cost: {
        responses: costByStage[Stage.Responses] ?? 0,
        embeddings: costByStage[Stage.Embeddings] ?? 0,
        scoring: costByStage[Stage.Scoring] ?? 0,
        totalCostUsd: Number(totalCost.toFixed(10)),
      },
    };
  }

  async cache(runId: string): Promise<{ hits: number; savedTokens: number; savedCostUsd: number }> {
    const [row] = await this.dataSource.query(
      `SELECT count(*) FILTER (WHERE cache_hit)::int AS hits, coalesce(sum(saved_tokens), 0)::int AS "savedTokens",
              coalesce(sum(saved_cost_usd), 0)::float8 AS "savedCostUsd"
       FROM item_stages WHERE run_id = $1`,
      [runId],
    );
    return row;
  }

  /** Per stage, how many items are in each state; items that have not reached a stage yet count as pending there. */
  async progress(runId: string): Promise<Record<Stage, StageProgress>> {
    const rows: Array<{ stage: Stage; state: ItemStageState; n: number }> = await this.dataSource.query(
      `SELECT stage, state::text AS state, count(*)::int AS n FROM item_stages WHERE run_id = $1 GROUP BY stage, state
       UNION ALL
       SELECT s.stage, 'pending', count(*)::int FROM run_items i CROSS JOIN unnest(enum_range(NULL::stage)) AS s(stage)
       WHERE i.run_id = $1 AND i.state = 'in_progress'
         AND NOT EXISTS (SELECT 1 FROM item_stages x WHERE x.item_id = i.id AND x.stage = s.stage)
       GROUP BY s.stage`,
      [runId],
    );
    const empty = (): StageProgress =>
      Object.fromEntries(Object.values(ItemStageState).map((state) => [state, 0])) as StageProgress;
    const progress = { [Stage.Responses]: empty(), [Stage.Embeddings]: empty(), [Stage.Scoring]: empty() };
    for (const row of rows) progress[row.stage][row.state] += row.n;
    return progress;
  }
}
