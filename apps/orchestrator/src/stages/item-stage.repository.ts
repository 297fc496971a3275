import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ItemStageState, Stage, StageError, STAGE_ORDER } from '@yardstick/contracts';

export interface ClaimedWork {
  itemId: string;
  runId: string;
  stage: Stage;
  attempt: number;
}

const CLAIMED_COLUMNS = 'item_id AS "itemId", run_id AS "runId", stage, attempt';
/**
 * A batch run whose endpoint has a Batch API: its responses (first pipeline step) are claimed by the batch poller
 * (apps/orchestrator/src/batches), never by the fast path.
 */
const BATCH_EXECUTED = `b.run_mode = 'batch' AND b.execution IS DISTINCT FROM 'fast_fallback'`;

/**
 * Every transition of the item x stage state machine, each a compare-and-set on the expected state:
 * a duplicated or redelivered message finds the row already moved and changes nothing.
 */
@Injectable()
export class ItemStageRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * pending -> in_flight for up to `limit` items of a running run, in any stage (first dispatch, refills as
   * items finish, resume, retry). Callers keep at most MAX_IN_FLIGHT_PER_RUN items of a run in flight.
   */
  async claimPending(runId: string, limit: number, leaseMs: number): Promise<ClaimedWork[]> {
    if (limit <= 0) return [];
    const [rows]: [ClaimedWork[], number] = await this.dataSource.query(
      `UPDATE item_stages SET state = 'in_flight', attempt = attempt + 1, lease_until = now() + $3 * interval '1 millisecond', updated_at = now()
       WHERE (item_id, stage) IN (
         SELECT s.item_id, s.stage FROM item_stages s
         WHERE s.run_id = $1 AND s.state = 'pending'
           AND EXISTS (SELECT 1 FROM evaluation_runs r WHERE r.id = $1 AND r.status = 'running')
           AND NOT (s.stage = 'responses' AND s.step = 0 AND EXISTS (SELECT 1 FROM evaluation_runs b WHERE b.id = $1 AND ${BATCH_EXECUTED}))
         LIMIT $2 FOR UPDATE OF s SKIP LOCKED)
       RETURNING ${CLAIMED_COLUMNS}`,
      [runId, limit, leaseMs],
    );
    return rows;
  }

  /**
   * Work the platform must dispatch again, across every running run and every replica: retries whose time has
   * come, and in-flight rows whose lease expired (a lost message or a dead worker).
   */
  async claimDue(limit: number, leaseMs: number): Promise<ClaimedWork[]> {
    const [rows]: [ClaimedWork[], number] = await this.dataSource.query(
      `UPDATE item_stages SET state = 'in_flight', attempt = attempt + 1, lease_until = now() + $2 * interval '1 millisecond',
              next_attempt_at = NULL, updated_at = now()
       WHERE (item_id, stage) IN (
         SELECT s.item_id, s.stage FROM item_stages s JOIN evaluation_runs r ON r.id = s.run_id AND r.status = 'running'
         WHERE ((s.state = 'failed_retryable' AND s.next_attempt_at <= now())
            OR (s.state = 'in_flight' AND s.lease_until < now()))
           AND NOT (s.state = 'failed_retryable' AND s.stage_batch_id IS NOT NULL
             AND EXISTS (SELECT 1 FROM stage_batches sb WHERE sb.id = s.stage_batch_id AND sb.retry_mode = 'batch'))
         LIMIT $1 FOR UPDATE OF s SKIP LOCKED)
       RETURNING ${CLAIMED_COLUMNS}`,
      [limit, leaseMs],
    );
    return rows;
  }

  /** Running runs with pending work and room under the in-flight cap: how many each may claim now. */
  async roomToDispatch(maxInFlight: number): Promise<Array<{ runId: string; room: number }>> {
    return this.dataSource.query(
      `SELECT r.id AS "runId", ($1 - (SELECT count(*) FROM item_stages f WHERE f.run_id = r.id AND f.state = 'in_flight'))::int AS room
       FROM evaluation_runs r
       WHERE r.status = 'running' AND EXISTS (SELECT 1 FROM item_stages p WHERE p.run_id = r.id AND p.state = 'pending')`,
      [maxInFlight],
    );
  }

  /** in_flight (this attempt) -> pending: the run is being paused by this error; resuming dispatches the item again. */
  async returnToPending(manager: EntityManager, itemId: string, stage: Stage, attempt: number, error: StageError): Promise<ClaimedWork | null> {
    const [rows] = await manager.query(
      `UPDATE item_stages SET state = 'pending', lease_until = NULL, error_code = $4, error_message = $5, updated_at = now()
       WHERE item_id = $1 AND stage = $2 AND attempt = $3 AND state = 'in_flight'
       RETURNING ${CLAIMED_COLUMNS}`,
      [itemId, stage, attempt, error.code, error.message.slice(0, 2000)],
    );
    return rows[0] ?? null;
  }

  /**
   * The attempt `attempt` counted within its own retry budget (attempt − retry_base: 1 for the first try of a pipeline step or
   * of a resumed stage), locking the in-flight row; null when that attempt is not in flight (a stale report).
   */
  async ownAttempt(manager: EntityManager, itemId: string, stage: Stage, attempt: number): Promise<number | null> {
    const rows: Array<{ own: number }> = await manager.query(
      `SELECT attempt - retry_base AS own FROM item_stages WHERE item_id = $1 AND stage = $2 AND attempt = $3 AND state = 'in_flight' FOR UPDATE`,
      [itemId, stage, attempt],
    );
    return rows[0]?.own ?? null;
  }

  /**
   * in_flight (this attempt) -> failed_retryable when a retry time is given and the item's budget has attempts left,
   * failed_permanent otherwise. A failure report for an older attempt changes nothing: a newer attempt is under way.
   */
  async fail(
    manager: EntityManager, itemId: string, stage: Stage, attempt: number, error: StageError, retryAt: Date | null, maxAttempts: number,
  ): Promise<(ClaimedWork & { state: ItemStageState }) | null> {
    const [rows] = await manager.query(
      `UPDATE item_stages SET
         state = CASE WHEN $4::timestamptz IS NOT NULL AND attempt - retry_base < $7 THEN 'failed_retryable' ELSE 'failed_permanent' END::item_stage_state,
         next_attempt_at = CASE WHEN attempt - retry_base < $7 THEN $4::timestamptz END,
         lease_until = NULL, error_code = $5, error_message = $6, updated_at = now()
       WHERE item_id = $1 AND stage = $2 AND attempt = $3 AND state = 'in_flight'
       RETURNING ${CLAIMED_COLUMNS}, state`,
      [itemId, stage, attempt, retryAt, error.code, error.message.slice(0, 2000), maxAttempts],
    );
    return rows[0] ?? null;
  }

  /**
   * In-flight rows whose lease expired with no attempts left (a result that never comes, or keeps being rejected):
   * they fail for good instead of being re-driven forever.
   */
  async failExhaustedLeases(manager: EntityManager, maxAttempts: number, limit: number): Promise<Array<ClaimedWork & { projectId: string }>> {
    const [rows] = await manager.query(
      `UPDATE item_stages SET state = 'failed_permanent', lease_until = NULL, error_code = 'attempts_exhausted',
              error_message = 'no result after ' || (attempt - retry_base) || ' attempts', updated_at = now()
       WHERE (item_id, stage) IN (
         SELECT item_id, stage FROM item_stages
         WHERE state = 'in_flight' AND lease_until < now() AND attempt - retry_base >= $1
         LIMIT $2 FOR UPDATE SKIP LOCKED)
       RETURNING ${CLAIMED_COLUMNS}, project_id AS "projectId"`,
      [maxAttempts, limit],
    );
    return rows;
  }

  /** After a permanent failure the item's later stages will never run: record them as cancelled so counts add up. */
  async cancelLaterStages(manager: EntityManager, work: ClaimedWork, projectId: string): Promise<void> {
    const later = STAGE_ORDER.slice(STAGE_ORDER.indexOf(work.stage) + 1);
    if (!later.length) return;
    await manager.query(
      `INSERT INTO item_stages (item_id, stage, run_id, project_id, state, attempt)
       SELECT $1, unnest($4::stage[]), $2, $3, 'cancelled', 0
       ON CONFLICT (item_id, stage) DO UPDATE SET state = 'cancelled', updated_at = now()
       WHERE item_stages.state NOT IN ('succeeded', 'failed_permanent')`,
      [work.itemId, work.runId, projectId, later],
    );
  }

  /** Stops every unfinished stage of a run (run failed early or was cancelled). */
  async cancelUnfinished(manager: EntityManager, runId: string): Promise<void> {
    await manager.query(
      `UPDATE item_stages SET state = 'cancelled', lease_until = NULL, next_attempt_at = NULL, updated_at = now()
       WHERE run_id = $1 AND state IN ('pending', 'in_flight', 'failed_retryable')`,
      [runId],
    );
  }
}
