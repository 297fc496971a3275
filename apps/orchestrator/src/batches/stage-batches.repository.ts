import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { ProviderBatchView, RunConfigSnapshot, Stage } from '@yardstick/contracts';
import { OPEN_STAGE_BATCH_STATUSES, StageBatchRow, StageBatchStatus } from './stage-batch';

const ROW_COLUMNS = `b.id, b.run_id AS "runId", b.project_id AS "projectId", b.stage, b.sequence, b.attempt, b.status,
  b.provider_batch_id AS "providerBatchId", b.model, b.endpoint_id AS "endpointId", b.input_blob_key AS "inputBlobKey",
  b.output_file_id AS "outputFileId", b.error_file_id AS "errorFileId", b.provider_status AS "providerStatus",
  b.submitted_at AS "submittedAt", b.request_count AS "requestCount", b.polls`;

/**
 * When a stage batch is next due: `$delay` ms from now, or at once when its run ended meanwhile (cancelled while a step
 * was under way), so the poller stops its provider batch without waiting out a poll interval.
 */
function nextPollAt(delay: string): string {
  return `CASE WHEN EXISTS (SELECT 1 FROM evaluation_runs r WHERE r.id = stage_batches.run_id AND r.status IN ('running', 'paused'))
    THEN now() + ${delay} * interval '1 millisecond' ELSE now() END`;
}

/**
 * Rows failed in an earlier batch (BATCH_RETRY_MODE=batch) and due again, once no batch of the run's stage is still
 * being recorded (so a batch's failed requests go into one follow-up batch). `s` is the item_stages row.
 */
const DUE_BATCH_RETRY = `(s.state = 'failed_retryable' AND s.next_attempt_at <= now() AND s.stage_batch_id IS NOT NULL
      AND EXISTS (SELECT 1 FROM stage_batches sb WHERE sb.id = s.stage_batch_id AND sb.retry_mode = 'batch')
      AND NOT EXISTS (SELECT 1 FROM stage_batches sc WHERE sc.run_id = s.run_id AND sc.stage = s.stage AND sc.status = 'collecting'))`;

/**
 * Rows the batch poller may put into a new batch of the stage. Responses: the first pipeline step, pending or a due
 * batch retry. Embeddings: only due batch retries (first attempts go into the batch fed by their responses batch,
 * `openFed`). `s` is the item_stages row.
 */
function batchable(stage: BatchedStage): string {
  if (stage === Stage.Embeddings) return `s.stage = 'embeddings' AND ${DUE_BATCH_RETRY}`;
  return `s.stage = 'responses' AND s.step = 0 AND (s.state = 'pending' OR ${DUE_BATCH_RETRY})`;
}

export type BatchedStage = Stage.Responses | Stage.Embeddings;

export interface RunToBatch {
  id: string;
  projectId: string;
  attempt: number;
  config: RunConfigSnapshot;
}

export interface EmbeddingsInputRow {
  itemId: string;
  attempt: number;
  output: string;
  /** Null when its embedding is already stored (ground_truth_embeddings): only the output is embedded. */
  groundTruth: string | null;
}

export interface BatchInputRow {
  itemId: string;
  attempt: number;
  question: string;
  category: string | null;
}

/** Every read and compare-and-set of `stage_batches`, and the item rows a batch claims. */
@Injectable()
export class StageBatchesRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Running batch runs (with a Batch API) that have rows of the stage waiting for a batch. One EXISTS per state, so each
   * is an index lookup: a single one with `pending OR retry due` read all of a 100,000-item run's rows every pass.
   */
  async runsToBatch(limit: number, stage: BatchedStage = Stage.Responses): Promise<RunToBatch[]> {
    return this.dataSource.query(
      `SELECT r.id, r.project_id AS "projectId", r.attempt, r.config FROM evaluation_runs r
       WHERE r.status = 'running' AND r.run_mode = 'batch' AND r.execution IS DISTINCT FROM 'fast_fallback'
         AND (${stage === Stage.Responses ? `EXISTS (SELECT 1 FROM item_stages s WHERE s.run_id = r.id AND s.state = 'pending' AND ${batchable(stage)}) OR ` : ''}
              EXISTS (SELECT 1 FROM item_stages s WHERE s.run_id = r.id AND s.state = 'failed_retryable' AND ${batchable(stage)}))
       LIMIT $1`,
      [limit],
    );
  }

  /**
   * Claims the next stage batch of the run and up to `maxRequests` of its batchable rows, in one transaction. The
   * unique (run, stage, sequence, attempt) key makes the claim atomic across replicas: of two racing inserts one
   * conflicts and claims nothing. Returns null when another replica won or nothing was left to batch.
   */
  async open(
    run: RunToBatch, model: string, retryMode: string, maxRequests: number, itemLeaseMs: number, stage: BatchedStage = Stage.Responses,
  ): Promise<{ id: string; requestCount: number } | null> {
    return this.dataSource.transaction(async (manager) => {
      const id = randomUUID();
      const inserted: Array<{ id: string }> = await manager.query(
        `INSERT INTO stage_batches (id, run_id, project_id, stage, sequence, attempt, model, endpoint_id, retry_mode)
         SELECT $1, $2, $3, $8, coalesce(max(sequence), 0) + 1, $4, $5, $6, $7
         FROM stage_batches WHERE run_id = $2 AND stage = $8 AND attempt = $4
         ON CONFLICT ON CONSTRAINT uq_stage_batches_run_stage_sequence_attempt DO NOTHING
         RETURNING id`,
        [id, run.id, run.projectId, run.attempt, model, run.config.providerEndpointId ?? null, retryMode, stage],
      );
      if (!inserted.length) return null;
      const [, claimed]: [unknown, number] = await manager.query(
        `UPDATE item_stages SET state = 'in_flight', attempt = attempt + 1, lease_until = now() + $3 * interval '1 millisecond',
                next_attempt_at = NULL, stage_batch_id = $1, updated_at = now()
         WHERE (item_id, stage) IN (
           SELECT s.item_id, s.stage FROM item_stages s
           WHERE s.run_id = $2 AND ${batchable(stage)}
             AND EXISTS (SELECT 1 FROM evaluation_runs r WHERE r.id = $2 AND r.status = 'running')
           ORDER BY s.item_id LIMIT $4 FOR UPDATE OF s SKIP LOCKED)`,
        [id, run.id, itemLeaseMs, maxRequests],
      );
      if (!claimed) {
        await manager.query(`DELETE FROM stage_batches WHERE id = $1`, [id]);
        return null;
      }
      await manager.query(`UPDATE stage_batches SET request_count = $2 WHERE id = $1`, [id, claimed]);
      return { id, requestCount: claimed };
    });
  }

  /**
   * The embeddings batch fed by a responses batch (created on its first collection, found again on a later one): its
   * rows are claimed into it as the responses are recorded, and the poller leaves it alone (next_poll_at = infinity)
   * until `seal`. Sequence numbers are taken under the run's embeddings lock (as `splitFrom` does).
   */
  async openFed(source: StageBatchRow, model: string, retryMode: string): Promise<string> {
    return this.dataSource.transaction(async (manager) => {
      await this.lockSequence(manager, source.runId, Stage.Embeddings);
      const found: Array<{ id: string }> = await manager.query(`SELECT id FROM stage_batches WHERE source_batch_id = $1`, [source.id]);
      if (found.length) return found[0].id;
      const id = randomUUID();
      await manager.query(
        `INSERT INTO stage_batches (id, run_id, project_id, stage, sequence, attempt, model, endpoint_id, retry_mode, source_batch_id, next_poll_at)
         SELECT $1, run_id, project_id, 'embeddings',
                (SELECT coalesce(max(e.sequence), 0) + 1 FROM stage_batches e WHERE e.run_id = b.run_id AND e.stage = 'embeddings' AND e.attempt = b.attempt),
                attempt, $3, endpoint_id, $4, id, 'infinity'
         FROM stage_batches b WHERE b.id = $2`,
        [id, source.id, model, retryMode],
      );
      return id;
    });
  }

  /** Serializes taking a run's next stage batch sequence number of a stage (held until the transaction ends). */
  private async lockSequence(manager: EntityManager, runId: string, stage: Stage): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1 || ':' || $2, 0))`, [runId, stage]);
  }

  /** The fed batch's rows are all claimed: count them and let the poller submit it (none: it is complete). */
  async seal(id: string): Promise<number> {
    const [rows]: [Array<{ requestCount: number }>, number] = await this.dataSource.query(
      `UPDATE stage_batches b SET request_count = c.n, next_poll_at = now(), updated_at = now(),
              status = CASE WHEN c.n = 0 THEN 'completed'::stage_batch_status ELSE b.status END
       FROM (SELECT count(*)::int AS n FROM item_stages WHERE stage_batch_id = $1 AND stage = 'embeddings' AND state = 'in_flight') c
       WHERE b.id = $1 AND b.status = 'preparing' AND b.next_poll_at = 'infinity'
       RETURNING c.n AS "requestCount"`,
      [id],
    );
    return rows[0]?.requestCount ?? 0;
  }

  /**
   * An embeddings batch over the provider's input limit: its rows from `fromItemId` on move, still claimed, to a new
   * batch of the stage that the poller writes and submits next (it splits again if need be).
   */
  async splitFrom(batch: StageBatchRow, fromItemId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const id = randomUUID();
      await this.lockSequence(manager, batch.runId, batch.stage);
      await manager.query(
        `INSERT INTO stage_batches (id, run_id, project_id, stage, sequence, attempt, model, endpoint_id, retry_mode)
         SELECT $1, run_id, project_id, stage,
                (SELECT max(e.sequence) + 1 FROM stage_batches e WHERE e.run_id = b.run_id AND e.stage = b.stage AND e.attempt = b.attempt),
                attempt, model, endpoint_id, retry_mode
         FROM stage_batches b WHERE b.id = $2`,
        [id, batch.id],
      );
      const [, moved]: [unknown, number] = await manager.query(
        `UPDATE item_stages SET stage_batch_id = $1, updated_at = now() WHERE stage_batch_id = $2 AND stage = $3 AND state = 'in_flight' AND item_id >= $4`,
        [id, batch.id, batch.stage, fromItemId],
      );
      await manager.query(`UPDATE stage_batches SET request_count = $2 WHERE id = $1`, [id, moved]);
      await manager.query(`UPDATE stage_batches SET request_count = request_count - $2 WHERE id = $1`, [batch.id, moved]);
    });
  }

  /** An embeddings batch's claimed rows, by item id after `afterItemId`: the texts to embed. */
  async embeddingsInputRows(batchId: string, afterItemId: string, limit: number): Promise<EmbeddingsInputRow[]> {
    return this.dataSource.query(
      `SELECT s.item_id AS "itemId", s.attempt, coalesce(i.output, '') AS output,
              CASE WHEN g.dataset_item_id IS NULL THEN i.ground_truth END AS "groundTruth"
       FROM item_stages s JOIN run_items i ON i.id = s.item_id JOIN evaluation_runs r ON r.id = s.run_id
       LEFT JOIN ground_truth_embeddings g ON g.dataset_item_id = i.dataset_item_id AND g.embedding_model = r.config->>'embeddingModel'
       WHERE s.stage_batch_id = $1 AND s.stage = 'embeddings' AND s.state = 'in_flight' AND s.item_id > $2
       ORDER BY s.item_id LIMIT $3`,
      [batchId, afterItemId, limit],
    );
  }

  /** Open stage batches whose next step is due, leased to this caller for `leaseMs` (SKIP LOCKED across replicas). */
  async claimDue(limit: number, leaseMs: number): Promise<StageBatchRow[]> {
    const [rows]: [StageBatchRow[], number] = await this.dataSource.query(
      `WITH due AS (
         SELECT id FROM stage_batches
         WHERE status = ANY($1::stage_batch_status[]) AND next_poll_at <= now() AND (lease_until IS NULL OR lease_until < now())
         ORDER BY next_poll_at LIMIT $2 FOR UPDATE SKIP LOCKED)
       UPDATE stage_batches b SET lease_until = now() + $3 * interval '1 millisecond'
       FROM due, evaluation_runs r WHERE b.id = due.id AND r.id = b.run_id
       RETURNING ${ROW_COLUMNS}, r.status AS "runStatus", r.config`,
      [OPEN_STAGE_BATCH_STATUSES, limit, leaseMs],
    );
    return rows;
  }

  /** The batch's claimed rows, by item id after `afterItemId`: the input file's requests. */
  async inputRows(batchId: string, afterItemId: string, limit: number): Promise<BatchInputRow[]> {
    return this.dataSource.query(
      `SELECT s.item_id AS "itemId", s.attempt, i.question, i.category
       FROM item_stages s JOIN run_items i ON i.id = s.item_id
       WHERE s.stage_batch_id = $1 AND s.stage = 'responses' AND s.state = 'in_flight' AND s.item_id > $2
       ORDER BY s.item_id LIMIT $3`,
      [batchId, afterItemId, limit],
    );
  }

  /** Rows that did not fit in the batch's byte limit go back to pending for the next batch. */
  async releaseFrom(batchId: string, fromItemId: string): Promise<number> {
    const [, released]: [unknown, number] = await this.dataSource.query(
      `UPDATE item_stages SET state = 'pending', attempt = attempt - 1, lease_until = NULL, stage_batch_id = NULL, updated_at = now()
       WHERE stage_batch_id = $1 AND stage = 'responses' AND state = 'in_flight' AND item_id >= $2`,
      [batchId, fromItemId],
    );
    await this.dataSource.query(`UPDATE stage_batches SET request_count = request_count - $2 WHERE id = $1`, [batchId, released]);
    return released;
  }

  async markSubmitted(id: string, providerBatchId: string, inputFileId: string | null, inputBlobKey: string, nextPollMs: number): Promise<void> {
    await this.dataSource.query(
      `UPDATE stage_batches SET status = 'submitted', provider_batch_id = $2, input_file_id = $3, input_blob_key = $4, submitted_at = now(),
              next_poll_at = ${nextPollAt('$5')}, lease_until = NULL, updated_at = now()
       WHERE id = $1 AND status = 'preparing'`,
      [id, providerBatchId, inputFileId, inputBlobKey, nextPollMs],
    );
    await this.dataSource.query(
      `UPDATE evaluation_runs SET execution = 'batch', updated_at = now()
       WHERE id = (SELECT run_id FROM stage_batches WHERE id = $1) AND execution IS NULL`,
      [id],
    );
  }

  /** Still running at the provider: record what it says and when to look again. */
  async markPolled(id: string, view: ProviderBatchView, nextPollMs: number): Promise<void> {
    await this.dataSource.query(
      `UPDATE stage_batches SET provider_status = $2, requests_completed = $3, requests_failed = $4, polls = polls + 1,
              next_poll_at = ${nextPollAt('$5')}, lease_until = NULL, updated_at = now()
       WHERE id = $1 AND status = 'submitted'`,
      [id, view.status, view.requestCounts.completed, view.requestCounts.failed, nextPollMs],
    );
  }

  /** The provider batch ended: its results are to be recorded (possibly again, after a crash: recording is idempotent). */
  async markCollecting(id: string, view: ProviderBatchView): Promise<void> {
    await this.dataSource.query(
      `UPDATE stage_batches SET status = 'collecting', provider_status = $2, requests_completed = $3, requests_failed = $4,
              output_file_id = $5, error_file_id = $6, error = $7, polls = polls + 1, ended_at = now(), updated_at = now()
       WHERE id = $1 AND status = 'submitted'`,
      [id, view.status, view.requestCounts.completed, view.requestCounts.failed, view.outputFileId, view.errorFileId, view.errors],
    );
  }

  async finish(id: string, status: StageBatchStatus, counts: { succeeded: number; failed: number }, costUsd: number): Promise<void> {
    await this.dataSource.query(
      `UPDATE stage_batches SET status = $2, requests_completed = $3, requests_failed = $4, cost_usd = $5, lease_until = NULL, updated_at = now()
       WHERE id = $1 AND status = ANY($6::stage_batch_status[])`,
      [id, status, counts.succeeded, counts.failed, costUsd, OPEN_STAGE_BATCH_STATUSES],
    );
  }

  async error(id: string): Promise<string | null> {
    const rows: Array<{ error: string | null }> = await this.dataSource.query(`SELECT error FROM stage_batches WHERE id = $1`, [id]);
    return rows[0]?.error ?? null;
  }

  /** Keeps the lease of a step still under way (recording 50,000 results takes a while); a step that ended cleared it. */
  async renewLease(id: string, leaseMs: number): Promise<void> {
    await this.dataSource.query(
      `UPDATE stage_batches SET lease_until = now() + $2 * interval '1 millisecond' WHERE id = $1 AND lease_until IS NOT NULL
         AND status = ANY($3::stage_batch_status[])`,
      [id, leaseMs, OPEN_STAGE_BATCH_STATUSES],
    );
  }

  /** Lets another pass (or replica) take the batch after a failed step, no sooner than `retryMs`. */
  async releaseLease(id: string, retryMs: number): Promise<void> {
    await this.dataSource.query(
      `UPDATE stage_batches SET lease_until = NULL, next_poll_at = now() + $2 * interval '1 millisecond', updated_at = now() WHERE id = $1`,
      [id, retryMs],
    );
  }

  /**
   * The endpoint has no Batch API: the batch's rows go back to pending and the run executes on the fast path
   * (`execution = 'fast_fallback'`), with a warning saying so.
   */
  async fallBackToFast(batch: StageBatchRow, warning: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `UPDATE stage_batches SET status = 'unsupported', lease_until = NULL, ended_at = now(), updated_at = now() WHERE id = $1 AND status = 'preparing'`,
        [batch.id],
      );
      await manager.query(
        `UPDATE item_stages SET state = 'pending', attempt = attempt - 1, lease_until = NULL, stage_batch_id = NULL, updated_at = now()
         WHERE stage_batch_id = $1 AND state = 'in_flight'`,
        [batch.id],
      );
      await manager.query(`UPDATE evaluation_runs SET execution = 'fast_fallback', updated_at = now() WHERE id = $1`, [batch.runId]);
      await this.addRunWarning(batch.runId, warning, manager);
    });
  }

  /** Shown on the run (`warnings`): what happened to its batches. */
  async addRunWarning(runId: string, warning: string, manager = this.dataSource.manager): Promise<void> {
    await manager.query(
      `UPDATE evaluation_runs SET warnings = warnings || $2::jsonb, updated_at = now() WHERE id = $1 AND NOT warnings @> $2::jsonb`,
      [runId, JSON.stringify([warning])],
    );
  }

  /**
   * A run that ended (cancelled, failed early) stops its open batches; their rows were cancelled with the run.
   * `providerStatus`: what the provider answered when its batch was cancelled (`cancelling`, or how it had ended).
   */
  async abandon(id: string, providerStatus: string | null = null): Promise<void> {
    await this.dataSource.query(
      `UPDATE stage_batches SET status = 'cancelled', error = coalesce(error, 'the run ended'), lease_until = NULL, ended_at = coalesce(ended_at, now()),
              provider_status = coalesce($3, provider_status), updated_at = now()
       WHERE id = $1 AND status = ANY($2::stage_batch_status[])`,
      [id, OPEN_STAGE_BATCH_STATUSES, providerStatus],
    );
  }

  /** Cancelling the provider batch failed (llm-caller unreachable): ask again after `nextPollMs`, backing off like polls. */
  async postponeCancel(id: string, nextPollMs: number): Promise<void> {
    await this.dataSource.query(
      `UPDATE stage_batches SET polls = polls + 1, next_poll_at = now() + $2 * interval '1 millisecond', lease_until = NULL, updated_at = now()
       WHERE id = $1 AND status = 'submitted'`,
      [id, nextPollMs],
    );
  }
}
