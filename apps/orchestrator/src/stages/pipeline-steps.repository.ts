import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ItemStageState, RunConfigSnapshot } from '@yardstick/contracts';
import { ClaimedWork } from './item-stage.repository';
import { Outcome } from './item-results.repository';
import { PipelineStepRecord } from './pipeline';

/** The prompt pipeline's step transitions inside the responses stage (the last step is recorded by ItemResultsRepository). */
@Injectable()
export class PipelineStepsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Step `step` (not the last) succeeded: one compare-and-set (`in_flight` and `step = $step`, run running or paused)
   * stores its record, adds its tokens/cost/latency to the stage's, and moves to step + 1: still `in_flight` with
   * attempt + 1 and a new lease in a running run (the caller dispatches it), `pending` in a paused one. The new step
   * gets its own retry budget (`retry_base`). A duplicate or late result of the step matches no row: null.
   */
  async advance(itemId: string, step: number, record: PipelineStepRecord, outcome: Outcome, leaseMs: number):
    Promise<(ClaimedWork & { state: ItemStageState }) | null> {
    const [rows]: [Array<ClaimedWork & { state: ItemStageState }>, number] = await this.dataSource.query(
      `UPDATE item_stages s SET
         state = CASE WHEN r.status = 'running' THEN 'in_flight' ELSE 'pending' END::item_stage_state,
         step = s.step + 1,
         step_outputs = s.step_outputs || jsonb_build_array($3::jsonb),
         attempt = CASE WHEN r.status = 'running' THEN s.attempt + 1 ELSE s.attempt END,
         retry_base = s.attempt,
         lease_until = CASE WHEN r.status = 'running' THEN now() + $4 * interval '1 millisecond' END,
         input_tokens = coalesce(s.input_tokens, 0) + $5, output_tokens = coalesce(s.output_tokens, 0) + $6,
         total_tokens = coalesce(s.total_tokens, 0) + $7, latency_ms = coalesce(s.latency_ms, 0) + $8, cost_usd = s.cost_usd + $9,
         cache_hit = (s.step = 0 OR s.cache_hit) AND $10, saved_tokens = s.saved_tokens + $11, saved_cost_usd = s.saved_cost_usd + $12,
         updated_at = now()
       FROM evaluation_runs r
       WHERE s.item_id = $1 AND s.stage = 'responses' AND s.state = 'in_flight' AND s.step = $2
         AND r.id = s.run_id AND r.status IN ('running', 'paused')
       RETURNING s.item_id AS "itemId", s.run_id AS "runId", s.stage, s.attempt, s.state`,
      [itemId, step, JSON.stringify(record), leaseMs, outcome.usage.inputTokens, outcome.usage.outputTokens, outcome.usage.totalTokens,
        outcome.latencyMs, outcome.costUsd, outcome.cacheHit ?? false, outcome.savedTokens ?? 0, outcome.savedCostUsd ?? 0],
    );
    return rows[0] ?? null;
  }

  /** A run's config snapshot (immutable once the run exists). */
  async config(runId: string): Promise<RunConfigSnapshot | null> {
    const rows: Array<{ config: RunConfigSnapshot }> = await this.dataSource.query(`SELECT config FROM evaluation_runs WHERE id = $1`, [runId]);
    return rows[0]?.config ?? null;
  }
}
