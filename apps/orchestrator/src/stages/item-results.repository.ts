import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CacheMode, ScorerSpec, Stage, TokenUsage } from '@yardstick/contracts';
import { realArrayParameter } from './float32-vector';
import { ClaimedWork } from './item-stage.repository';
import type { PipelineStepRecord } from './pipeline';

export interface Outcome {
  usage: TokenUsage;
  latencyMs: number;
  costUsd: number;
  cacheHit?: boolean;
  savedTokens?: number;
  savedCostUsd?: number;
}

/** One batch result for `recordResponses`: the response of a single-step pipeline's only step. */
export interface BulkResponse {
  itemId: string;
  output: string;
  usage: TokenUsage;
  costUsd: number;
  record: PipelineStepRecord;
}

/** One embeddings batch result for `recordEmbeddingsPage`. */
export interface BulkEmbeddings {
  itemId: string;
  outputEmbedding: Float32Array;
  /** Null when only the output was embedded (the ground truth's vector is stored). */
  groundTruthEmbedding: Float32Array | null;
  usage: TokenUsage;
  costUsd: number;
}

/** One scored item of a score page, for `recordScoresPage`. */
export interface BulkScores {
  itemId: string;
  score: number | null;
  scores: Record<string, number>;
  scorerErrors: Record<string, { code: string; message: string }>;
  verdicts: Record<string, boolean>;
  /** What the item's scorers' provider calls used (the llm_judge's); null when none called. */
  outcome: Outcome | null;
}

/** How the run calls its provider: carried to the next stage's command. */
export interface ProviderRouting {
  endpointId: string | null;
  cacheMode: CacheMode;
}

export interface EmbeddingsClaim extends ClaimedWork, ProviderRouting {
  projectId: string;
  output: string;
  groundTruth: string;
  embeddingModel: string;
  groundTruthEmbedded: boolean;
}

export interface ScoringClaim extends ClaimedWork {
  projectId: string;
  question: string;
  cacheMode: CacheMode;
  output: string;
  groundTruth: string;
  scorers: ScorerSpec[];
  storedGroundTruthEmbedding: number[] | null;
}

/**
 * `in_flight -> succeeded` of the given stage: the compare-and-set every result starts with. Results are recorded
 * while the run is running or paused (work already under way is kept), dropped once it is finished or cancelled.
 */
const SUCCEED = (stage: Stage) => `
  done AS (
    UPDATE item_stages s SET state = 'succeeded', lease_until = NULL, updated_at = now(),
           input_tokens = $2, output_tokens = $3, total_tokens = $4, latency_ms = $5, cost_usd = $6,
           cache_hit = $7, saved_tokens = $8, saved_cost_usd = $9
    FROM evaluation_runs r
    WHERE s.item_id = $1 AND s.stage = '${stage}' AND s.state = 'in_flight' AND r.id = s.run_id AND r.status IN ('running', 'paused')
    RETURNING s.item_id, s.run_id, s.project_id, r.config, r.scorers, r.status AS run_status, r.cache_mode)`;

/**
 * The responses stage's `in_flight -> succeeded`, by the result of the prompt pipeline's last step (`$12`; 0 for a
 * single-stage config): the step's record is appended and its tokens, latency and cost are added to those of the
 * earlier steps. A result for another step matches nothing.
 */
const SUCCEED_RESPONSES = `
  done AS (
    UPDATE item_stages s SET state = 'succeeded', lease_until = NULL, updated_at = now(),
           input_tokens = coalesce(s.input_tokens, 0) + $2, output_tokens = coalesce(s.output_tokens, 0) + $3,
           total_tokens = coalesce(s.total_tokens, 0) + $4, latency_ms = coalesce(s.latency_ms, 0) + $5, cost_usd = s.cost_usd + $6,
           cache_hit = (s.step = 0 OR s.cache_hit) AND $7, saved_tokens = s.saved_tokens + $8, saved_cost_usd = s.saved_cost_usd + $9,
           step_outputs = s.step_outputs || CASE WHEN $13::jsonb IS NULL THEN '[]'::jsonb ELSE jsonb_build_array($13::jsonb) END
    FROM evaluation_runs r
    WHERE s.item_id = $1 AND s.stage = 'responses' AND s.state = 'in_flight' AND s.step = $12
      AND r.id = s.run_id AND r.status IN ('running', 'paused')
    RETURNING s.item_id, s.run_id, s.project_id, r.config, r.scorers, r.status AS run_status, r.cache_mode)`;

/**
 * The in-flight rows a page of results moves (`page` has an item_id column): each found from the page by primary key
 * (a LATERAL with LIMIT is never flattened into a join) and then updated by ctid, so the plan is the same whatever the
 * statistics say. Statistics lag a run's fast-growing rows: told a stage has no in-flight rows, the planner otherwise
 * scans all of the stage's rows once per result (a 1,000-result page took seconds instead of milliseconds). The state is
 * compared as text so no index offers it; the run's status is checked per row for the same reason.
 */
const PAGE_TARGETS = (stage: Stage, condition = 'true') => `
  target AS (
    SELECT p.*, x.tid FROM page p
    CROSS JOIN LATERAL (SELECT s.ctid AS tid FROM item_stages s
                        WHERE s.item_id = p.item_id AND s.stage = '${stage}' AND s.state::text = 'in_flight' AND ${condition} LIMIT 1) x)`;
const IS_PAGE_TARGET = `s.ctid = p.tid AND s.state::text = 'in_flight' AND (SELECT r.status FROM evaluation_runs r WHERE r.id = s.run_id) IN ('running', 'paused')`;

/** The next stage's row: created already claimed (in_flight, attempt 1) in a running run, pending in a paused one. */
const CLAIM_NEXT = (stage: Stage, leaseParam: string) => `
  next AS (
    INSERT INTO item_stages (item_id, stage, run_id, project_id, state, attempt, lease_until)
    SELECT item_id, '${stage}', run_id, project_id,
           CASE WHEN run_status = 'running' THEN 'in_flight' ELSE 'pending' END::item_stage_state,
           CASE WHEN run_status = 'running' THEN 1 ELSE 0 END,
           CASE WHEN run_status = 'running' THEN now() + ${leaseParam} * interval '1 millisecond' END
    FROM done
    ON CONFLICT (item_id, stage) DO NOTHING
    RETURNING item_id, run_id, stage, attempt, state)`;

/**
 * One item's result and the claim of its next stage, as a single statement each (one round trip, atomic):
 * the hot path of every run. A replayed result matches no in-flight row and returns nothing.
 */
@Injectable()
export class ItemResultsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Records a response. Null for a replay; otherwise the run id and, when the run is running, the claimed
   * embeddings stage (`claim`), or null when the run is paused (the stage waits as pending).
   */
  async recordResponse(
    itemId: string, output: string, outcome: Outcome, leaseMs: number, last: { step: number; record: PipelineStepRecord | null } = { step: 0, record: null },
  ): Promise<{ runId: string; claim: EmbeddingsClaim | null } | null> {
    const rows: Array<EmbeddingsClaim & { attempt: number | null }> = await this.dataSource.query(
      `WITH ${SUCCEED_RESPONSES},
       item AS (UPDATE run_items i SET output = $10, updated_at = now() FROM done WHERE i.id = done.item_id
                RETURNING i.id, i.dataset_item_id, i.ground_truth),
       ${CLAIM_NEXT(Stage.Embeddings, '$11')}
       SELECT done.item_id AS "itemId", done.run_id AS "runId", 'embeddings' AS stage, next.attempt, done.project_id AS "projectId",
              $10 AS output, item.ground_truth AS "groundTruth", done.config->>'embeddingModel' AS "embeddingModel",
              done.config->>'providerEndpointId' AS "endpointId", done.cache_mode AS "cacheMode",
              EXISTS (SELECT 1 FROM ground_truth_embeddings g
                      WHERE g.dataset_item_id = item.dataset_item_id AND g.embedding_model = done.config->>'embeddingModel') AS "groundTruthEmbedded"
       FROM done JOIN item ON item.id = done.item_id LEFT JOIN next ON next.item_id = done.item_id AND next.state = 'in_flight'`,
      [itemId, ...outcomeParams(outcome), output, leaseMs, last.step, last.record ? JSON.stringify(last.record) : null],
    );
    const row = rows[0];
    if (!row) return null;
    return { runId: row.runId, claim: row.attempt === null ? null : row };
  }

  /**
   * The bulk `recordResponse` for a page of batch results (single-step pipelines): one statement records them all and
   * claims each one's embeddings stage, as `recordResponse` does for one. Results whose row is no longer in flight (a
   * page recorded again after a crash) match nothing and are left out of the answer. Batch results have no latency of
   * their own and are never cache hits. With `embeddingsBatch`, a running run's embeddings rows are claimed into that
   * stage batch (leased for its `leaseMs`) instead, and no claim is returned: the batch poller submits them.
   */
  async recordResponses(
    results: BulkResponse[], leaseMs: number, embeddingsBatch: { id: string; leaseMs: number } | null = null,
  ): Promise<Array<{ runId: string; itemId: string; claim: EmbeddingsClaim | null }>> {
    if (!results.length) return [];
    const rows: Array<EmbeddingsClaim & { attempt: number | null }> = await this.dataSource.query(
      `WITH page AS (
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::int[], $4::int[], $5::int[], $6::numeric[], $7::text[])
           AS p(item_id, output, input_tokens, output_tokens, total_tokens, cost_usd, record)),
       ${PAGE_TARGETS(Stage.Responses, 's.step = 0')},
       done AS (
         UPDATE item_stages s SET state = 'succeeded', lease_until = NULL, updated_at = now(),
                input_tokens = coalesce(s.input_tokens, 0) + p.input_tokens, output_tokens = coalesce(s.output_tokens, 0) + p.output_tokens,
                total_tokens = coalesce(s.total_tokens, 0) + p.total_tokens, latency_ms = coalesce(s.latency_ms, 0), cost_usd = s.cost_usd + p.cost_usd,
                cache_hit = false, step_outputs = s.step_outputs || jsonb_build_array(p.record::jsonb)
         FROM target p
         WHERE ${IS_PAGE_TARGET}
         RETURNING s.item_id, s.run_id, s.project_id, p.output),
       item AS (UPDATE run_items i SET output = done.output, updated_at = now() FROM done JOIN evaluation_runs r ON r.id = done.run_id
                WHERE i.id = done.item_id
                RETURNING i.id AS item_id, i.dataset_item_id, i.ground_truth, done.run_id, done.project_id, r.config, r.status AS run_status,
                          r.cache_mode, done.output),
       next AS (
         INSERT INTO item_stages (item_id, stage, run_id, project_id, state, attempt, lease_until, stage_batch_id)
         SELECT item_id, 'embeddings', run_id, project_id,
                CASE WHEN run_status = 'running' THEN 'in_flight' ELSE 'pending' END::item_stage_state,
                CASE WHEN run_status = 'running' THEN 1 ELSE 0 END,
                CASE WHEN run_status = 'running' THEN now() + coalesce($10::float8, $8::float8) * interval '1 millisecond' END,
                CASE WHEN run_status = 'running' THEN $9::uuid END
         FROM item
         ON CONFLICT (item_id, stage) DO NOTHING
         RETURNING item_id, state)
       SELECT item.item_id AS "itemId", item.run_id AS "runId", 'embeddings' AS stage,
              CASE WHEN $9::uuid IS NULL AND item.item_id IN (SELECT item_id FROM next WHERE state = 'in_flight') THEN 1 END AS attempt,
              item.project_id AS "projectId", item.output, item.ground_truth AS "groundTruth", item.config->>'embeddingModel' AS "embeddingModel",
              item.config->>'providerEndpointId' AS "endpointId", item.cache_mode AS "cacheMode",
              EXISTS (SELECT 1 FROM ground_truth_embeddings g
                      WHERE g.dataset_item_id = item.dataset_item_id AND g.embedding_model = item.config->>'embeddingModel') AS "groundTruthEmbedded"
       FROM item`,
      [
        results.map((r) => r.itemId), results.map((r) => r.output), results.map((r) => r.usage.inputTokens), results.map((r) => r.usage.outputTokens),
        results.map((r) => r.usage.totalTokens), results.map((r) => r.costUsd), results.map((r) => JSON.stringify(r.record)), leaseMs,
        embeddingsBatch?.id ?? null, embeddingsBatch?.leaseMs ?? null,
      ],
    );
    return rows.map((row) => ({ runId: row.runId, itemId: row.itemId, claim: row.attempt === null ? null : row }));
  }

  /**
   * The bulk `recordEmbeddings` for a page of an embeddings batch's results (model `model`): one statement records them,
   * stores the ground truths' vectors and claims each item's scoring stage. Results whose row is no longer in flight
   * match nothing and are left out; `claim` is null when the run is paused (scoring waits as pending).
   */
  async recordEmbeddingsPage(
    model: string, results: BulkEmbeddings[], leaseMs: number,
  ): Promise<Array<{ itemId: string; runId: string; claim: ScoringClaim | null }>> {
    if (!results.length) return [];
    // A row of parameters per result: the vectors go as binary real[] (realArrayParameter), which unnest cannot take.
    const rows = results.map((_, i) => `($${i * 6 + 3}::uuid, $${i * 6 + 4}::real[], $${i * 6 + 5}::real[], $${i * 6 + 6}::int, $${i * 6 + 7}::int, $${i * 6 + 8}::numeric)`);
    const claims: Array<ScoringClaim & { attempt: number | null }> = await this.dataSource.query(
      `WITH page AS (
         SELECT * FROM (VALUES ${rows.join(', ')}) AS p(item_id, output_embedding, ground_truth_embedding, input_tokens, total_tokens, cost_usd)),
       ${PAGE_TARGETS(Stage.Embeddings)},
       done AS (
         UPDATE item_stages s SET state = 'succeeded', lease_until = NULL, updated_at = now(),
                input_tokens = p.input_tokens, output_tokens = 0, total_tokens = p.total_tokens, latency_ms = 0, cost_usd = p.cost_usd,
                cache_hit = false, saved_tokens = 0, saved_cost_usd = 0
         FROM target p
         WHERE ${IS_PAGE_TARGET}
         RETURNING s.item_id, s.run_id, s.project_id,
                   p.output_embedding, p.ground_truth_embedding),
       item AS (UPDATE run_items i SET output_embedding = done.output_embedding, updated_at = now() FROM done JOIN evaluation_runs r ON r.id = done.run_id
                WHERE i.id = done.item_id
                RETURNING i.id AS item_id, i.dataset_item_id, i.question, i.output, i.ground_truth, done.run_id, done.project_id, r.scorers,
                          r.status AS run_status, r.cache_mode, done.ground_truth_embedding),
       gt AS (INSERT INTO ground_truth_embeddings (dataset_item_id, embedding_model, project_id, embedding)
              SELECT dataset_item_id, $1, project_id, ground_truth_embedding FROM item WHERE ground_truth_embedding IS NOT NULL
              ON CONFLICT (dataset_item_id, embedding_model) DO NOTHING),
       next AS (
         INSERT INTO item_stages (item_id, stage, run_id, project_id, state, attempt, lease_until)
         SELECT item_id, 'scoring', run_id, project_id,
                CASE WHEN run_status = 'running' THEN 'in_flight' ELSE 'pending' END::item_stage_state,
                CASE WHEN run_status = 'running' THEN 1 ELSE 0 END,
                CASE WHEN run_status = 'running' THEN now() + $2 * interval '1 millisecond' END
         FROM item
         ON CONFLICT (item_id, stage) DO NOTHING
         RETURNING item_id, state)
       SELECT item.item_id AS "itemId", item.run_id AS "runId", 'scoring' AS stage,
              CASE WHEN item.item_id IN (SELECT item_id FROM next WHERE state = 'in_flight') THEN 1 END AS attempt,
              item.project_id AS "projectId", item.question, item.cache_mode AS "cacheMode", coalesce(item.output, '') AS output,
              item.ground_truth AS "groundTruth", item.scorers,
              CASE WHEN item.ground_truth_embedding IS NULL THEN (SELECT g.embedding FROM ground_truth_embeddings g
                   WHERE g.dataset_item_id = item.dataset_item_id AND g.embedding_model = $1) END AS "storedGroundTruthEmbedding"
       FROM item`,
      [model, leaseMs, ...results.flatMap((r) => [
        r.itemId, realArrayParameter(r.outputEmbedding), r.groundTruthEmbedding && realArrayParameter(r.groundTruthEmbedding),
        r.usage.inputTokens, r.usage.totalTokens, r.costUsd,
      ])],
    );
    return claims.map((row) => ({ itemId: row.itemId, runId: row.runId, claim: row.attempt === null ? null : row }));
  }

  async recordEmbeddings(
    itemId: string, model: string, outputEmbedding: number[] | null, groundTruthEmbedding: number[] | null, outcome: Outcome, leaseMs: number,
  ): Promise<ScoringClaim | null> {
    const rows: ScoringClaim[] = await this.dataSource.query(
      `WITH ${SUCCEED(Stage.Embeddings)},
       item AS (UPDATE run_items i SET output_embedding = $10, updated_at = now() FROM done WHERE i.id = done.item_id
                RETURNING i.id, i.dataset_item_id, i.question, i.output, i.ground_truth),
       gt AS (INSERT INTO ground_truth_embeddings (dataset_item_id, embedding_model, project_id, embedding)
              SELECT item.dataset_item_id, $11, done.project_id, $12::real[] FROM item JOIN done ON done.item_id = item.id
              WHERE $12::real[] IS NOT NULL
              ON CONFLICT (dataset_item_id, embedding_model) DO NOTHING),
       ${CLAIM_NEXT(Stage.Scoring, '$13')}
       SELECT next.item_id AS "itemId", next.run_id AS "runId", next.stage, next.attempt, done.project_id AS "projectId",
              item.question, done.cache_mode AS "cacheMode",
              coalesce(item.output, '') AS output, item.ground_truth AS "groundTruth", done.scorers,
              CASE WHEN $12::real[] IS NULL THEN (SELECT g.embedding FROM ground_truth_embeddings g
                   WHERE g.dataset_item_id = item.dataset_item_id AND g.embedding_model = $11) END AS "storedGroundTruthEmbedding"
       FROM next JOIN done ON done.item_id = next.item_id JOIN item ON item.id = next.item_id WHERE next.state = 'in_flight'`,
      [itemId, ...outcomeParams(outcome), outputEmbedding, model, groundTruthEmbedding, leaseMs],
    );
    return rows[0] ?? null;
  }

  /**
   * Records the item's scores, the verdicts of the scorers that gave one, the scorers that had none (`scorerErrors`) and what scorers' provider calls used (`outcome`,
   * the llm_judge's; on the scoring stage's row, so the run's cost includes it), and marks the item succeeded; returns the run
   * id, or null for a replay.
   */
  async recordScores(
    itemId: string, score: number | null, scores: Record<string, number>, outcome: Outcome | null = null,
    scorerErrors: Record<string, { code: string; message: string }> = {}, verdicts: Record<string, boolean> = {},
  ): Promise<string | null> {
    // An UPDATE answers [rows, affected count] through TypeORM.
    const [rows]: [Array<{ runId: string }>, number] = await this.dataSource.query(
      `WITH ${SUCCEED(Stage.Scoring)}
       UPDATE run_items i SET state = 'succeeded', score = $10, scores = $11, scorer_errors = $12, verdicts = $13, updated_at = now()
       FROM done WHERE i.id = done.item_id AND i.state = 'in_progress'
       RETURNING done.run_id AS "runId"`,
      [itemId, ...(outcome ? outcomeParams(outcome) : [null, null, null, null, 0, false, 0, 0]), score, scores, scorerErrors, verdicts],
    );
    return rows[0]?.runId ?? null;
  }

  /**
   * The bulk `recordScores` for a score page: one statement records every item's scores and marks it succeeded. Items
   * whose scoring is no longer in flight (the page recorded again) match nothing and are left out of the answer.
   */
  async recordScoresPage(items: BulkScores[]): Promise<Array<{ runId: string; itemId: string; score: number | null }>> {
    if (!items.length) return [];
    const outcome = (pick: (o: Outcome) => unknown, none: unknown) => items.map((i) => (i.outcome ? pick(i.outcome) : none));
    const [rows]: [Array<{ runId: string; itemId: string; score: number | null }>, number] = await this.dataSource.query(
      `WITH page AS (
         SELECT * FROM unnest($1::uuid[], $2::float8[], $3::text[], $4::text[], $5::text[], $6::int[], $7::int[], $8::int[], $9::int[],
                              $10::numeric[], $11::boolean[], $12::int[], $13::numeric[])
           AS p(item_id, score, scores, scorer_errors, verdicts, input_tokens, output_tokens, total_tokens, latency_ms, cost_usd, cache_hit,
                saved_tokens, saved_cost_usd)),
       ${PAGE_TARGETS(Stage.Scoring)},
       done AS (
         UPDATE item_stages s SET state = 'succeeded', lease_until = NULL, updated_at = now(),
                input_tokens = p.input_tokens, output_tokens = p.output_tokens, total_tokens = p.total_tokens, latency_ms = p.latency_ms,
                cost_usd = p.cost_usd, cache_hit = p.cache_hit, saved_tokens = p.saved_tokens, saved_cost_usd = p.saved_cost_usd
         FROM target p
         WHERE ${IS_PAGE_TARGET}
         RETURNING s.item_id, s.run_id, p.score, p.scores, p.scorer_errors, p.verdicts)
       UPDATE run_items i SET state = 'succeeded', score = done.score, scores = done.scores::jsonb, scorer_errors = done.scorer_errors::jsonb,
              verdicts = done.verdicts::jsonb, updated_at = now()
       FROM done WHERE i.id = done.item_id AND i.state = 'in_progress'
       RETURNING done.run_id AS "runId", i.id AS "itemId", done.score`,
      [
        items.map((i) => i.itemId), items.map((i) => i.score), items.map((i) => JSON.stringify(i.scores)),
        items.map((i) => JSON.stringify(i.scorerErrors)), items.map((i) => JSON.stringify(i.verdicts)),
        outcome((o) => o.usage.inputTokens, null), outcome((o) => o.usage.outputTokens, null), outcome((o) => o.usage.totalTokens, null),
        outcome((o) => o.latencyMs, null), outcome((o) => o.costUsd, 0), outcome((o) => o.cacheHit ?? false, false),
        outcome((o) => o.savedTokens ?? 0, 0), outcome((o) => o.savedCostUsd ?? 0, 0),
      ],
    );
    return rows;
  }

  /** Adds warnings to a run, each once. */
  async addRunWarnings(runId: string, warnings: string[]): Promise<void> {
    await this.dataSource.query(
      `UPDATE evaluation_runs SET warnings = (SELECT coalesce(jsonb_agg(DISTINCT w), '[]') FROM jsonb_array_elements(warnings || $2::jsonb) AS w)
       WHERE id = $1 AND NOT warnings @> $2::jsonb`,
      [runId, JSON.stringify(warnings)],
    );
  }

  /** The scorers of a run (immutable once the run exists). */
  async scorers(runId: string): Promise<ScorerSpec[]> {
    const rows: Array<{ scorers: ScorerSpec[] }> = await this.dataSource.query(`SELECT scorers FROM evaluation_runs WHERE id = $1`, [runId]);
    return rows[0]?.scorers ?? [];
  }
}

function outcomeParams(outcome: Outcome): Array<number | boolean> {
  return [outcome.usage.inputTokens, outcome.usage.outputTokens, outcome.usage.totalTokens, outcome.latencyMs, outcome.costUsd,
    outcome.cacheHit ?? false, outcome.savedTokens ?? 0, outcome.savedCostUsd ?? 0];
}
