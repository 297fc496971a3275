import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { RunStatus, ServiceErrorCode, ServiceException } from '@yardstick/contracts';
import { OPEN_STAGE_BATCH_STATUSES } from '../batches/stage-batch';
import { RunLiveEvents } from '../live/run-live-events';
import { ItemStageRepository } from '../stages/item-stage.repository';
import { StageSettings } from '../stages/stage-settings';
import { WorkDispatcher } from '../stages/work-dispatcher';
import { EvaluationRunEntity } from './evaluation-run.entity';
import { RunFinalizer } from './run-finalizer';

const CLAIM_CHUNK = 500;

/**
 * What users do to a run: cancel, pause, resume, retry. Each is a transition checked under the run row's lock;
 * an illegal one is a conflict naming the current status. State lives in Postgres, so it survives any restart.
 */
@Injectable()
export class RunControlService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly stages: ItemStageRepository,
    private readonly dispatcher: WorkDispatcher,
    private readonly finalizer: RunFinalizer,
    private readonly settings: StageSettings,
    private readonly live: RunLiveEvents,
  ) {}

  /** Claims and dispatches pending work up to the run's in-flight cap (start, resume, retry). */
  async dispatchPending(runId: string): Promise<void> {
    const [{ inFlight }] = await this.dataSource.query(
      `SELECT count(*)::int AS "inFlight" FROM item_stages WHERE run_id = $1 AND state = 'in_flight'`, [runId],
    );
    let room = this.settings.maxInFlightPerRun - inFlight;
    while (room > 0) {
      const claimed = await this.stages.claimPending(runId, Math.min(room, CLAIM_CHUNK), this.settings.leaseMs);
      await this.dispatcher.dispatch(claimed);
      if (!claimed.length) return;
      room -= claimed.length;
    }
  }

  async pause(projectId: string, runId: string): Promise<void> {
    await this.transition(projectId, runId, [RunStatus.Running], 'pause', async (manager) => {
      await manager.update(EvaluationRunEntity, { id: runId }, { status: RunStatus.Paused, pausedReason: 'paused by a user' });
    });
    await this.live.statusChanged(runId, RunStatus.Paused, 'paused by a user', `user:${Date.now()}`);
  }

  async resume(projectId: string, runId: string): Promise<void> {
    await this.transition(projectId, runId, [RunStatus.Paused], 'resume', async (manager) => {
      await manager.update(EvaluationRunEntity, { id: runId }, { status: RunStatus.Running, pausedReason: null });
    });
    await this.live.statusChanged(runId, RunStatus.Running, null, `user:${Date.now()}`);
    await this.dispatchPending(runId);
    // Everything may have finished while the run was paused.
    await this.finalizer.check(runId, false);
  }

  async cancel(projectId: string, runId: string): Promise<void> {
    await this.transition(projectId, runId, [RunStatus.Running, RunStatus.Paused], 'cancel', async (manager, run) => {
      await this.stages.cancelUnfinished(manager, runId);
      await manager.query(`UPDATE run_items SET state = 'cancelled', updated_at = now() WHERE run_id = $1 AND state = 'in_progress'`, [runId]);
      // Due at once: the batch poller's next pass cancels their provider batches rather than at their next poll (minutes away).
      await manager.query(
        `UPDATE stage_batches SET next_poll_at = now(), updated_at = now() WHERE run_id = $1 AND status = ANY($2::stage_batch_status[])`,
        [runId, OPEN_STAGE_BATCH_STATUSES],
      );
      await this.finalizer.finish(manager, run, RunStatus.Cancelled, 'cancelled by a user');
    });
    await this.finalizer.afterFinish(runId);
  }

  /**
   * Runs the failed and cancelled items again, from the stage where each stopped; succeeded stages are never
   * redone (and llm-caller never calls the provider again for a result it has recorded).
   */
  async retry(projectId: string, runId: string): Promise<void> {
    await this.transition(projectId, runId, [RunStatus.Failed, RunStatus.Completed, RunStatus.Cancelled], 'retry', async (manager) => {
      const [rows] = await manager.query(
        `UPDATE run_items SET state = 'in_progress', error_stage = NULL, error_code = NULL, error_message = NULL, updated_at = now()
         WHERE run_id = $1 AND state IN ('failed', 'cancelled') RETURNING id`,
        [runId],
      );
      if (!rows.length) throw new ServiceException(ServiceErrorCode.Conflict, 'the run has no failed or cancelled items to retry', { status: 'nothing_to_retry' });
      const ids = rows.map((row: { id: string }) => row.id);
      // Stages that never ran are dropped. Stages that did run go back to pending keeping their attempt count:
      // the next claim makes a new attempt, so its command's Nats-Msg-Id differs from every earlier one.
      await manager.query(`DELETE FROM item_stages WHERE item_id = ANY($1::uuid[]) AND state = 'cancelled' AND attempt = 0`, [ids]);
      await manager.query(
        `UPDATE item_stages SET state = 'pending', next_attempt_at = NULL, lease_until = NULL, retry_base = attempt, updated_at = now()
         WHERE item_id = ANY($1::uuid[]) AND state IN ('failed_permanent', 'failed_retryable', 'cancelled')`,
        [ids],
      );
      await manager.query(
        `INSERT INTO item_stages (item_id, stage, run_id, project_id, state, attempt)
         SELECT i.id, first_missing.stage, i.run_id, i.project_id, 'pending', 0
         FROM run_items i
         CROSS JOIN LATERAL (
           SELECT s.stage FROM unnest(enum_range(NULL::stage)) AS s(stage)
           WHERE NOT EXISTS (SELECT 1 FROM item_stages x WHERE x.item_id = i.id AND x.stage = s.stage AND x.state = 'succeeded')
           ORDER BY s.stage LIMIT 1) AS first_missing
         WHERE i.id = ANY($1::uuid[])
         ON CONFLICT (item_id, stage) DO NOTHING`,
        [ids],
      );
      await manager.query(
        `UPDATE evaluation_runs SET status = 'running', attempt = attempt + 1, error = NULL, completed_at = NULL,
                results_exported_at = NULL, updated_at = now() WHERE id = $1`,
        [runId],
      );
    });
    await this.live.statusChanged(runId, RunStatus.Running, null, 'retried');
    await this.dispatchPending(runId);
  }

  private async transition(
    projectId: string, runId: string, from: RunStatus[], action: string,
    change: (manager: EntityManager, run: EvaluationRunEntity) => Promise<void>,
  ): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const run = await manager.findOne(EvaluationRunEntity, { where: { id: runId, projectId }, lock: { mode: 'pessimistic_write' } });
      if (!run) throw new ServiceException(ServiceErrorCode.NotFound, `evaluation ${runId} not found`);
      if (!from.includes(run.status)) {
        throw new ServiceException(ServiceErrorCode.Conflict, `cannot ${action} a run that is ${run.status}`, { status: run.status });
      }
      await change(manager, run);
    });
  }
}
