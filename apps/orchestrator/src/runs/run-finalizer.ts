import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { RunFinishedEvent, RunStatus, Subjects } from '@yardstick/contracts';
import { OutboxRelay } from '../outbox/outbox.relay';
import { ItemStageRepository } from '../stages/item-stage.repository';
import { StageSettings } from '../stages/stage-settings';
import { EvaluationRunEntity } from './evaluation-run.entity';
import { RunAggregatesRepository } from './run-aggregates.repository';
import { RunResultsExporter } from './run-results.exporter';

const FINISHED_SUBJECT = {
  [RunStatus.Completed]: Subjects.RunCompleted,
  [RunStatus.Failed]: Subjects.RunFailed,
  [RunStatus.Cancelled]: Subjects.RunCancelled,
} as const;

type FinishedStatus = keyof typeof FINISHED_SUBJECT;

/**
 * Decides when a run is over. Called after an item reaches a final state, and by the reconciler.
 * The run row is locked first, so of two items finishing at once the later check sees both committed.
 */
@Injectable()
export class RunFinalizer {
  private readonly logger = new Logger(RunFinalizer.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly aggregates: RunAggregatesRepository,
    private readonly stages: ItemStageRepository,
    private readonly outbox: OutboxRelay,
    private readonly exporter: RunResultsExporter,
    private readonly settings: StageSettings,
  ) {}

  /**
   * `afterFailure` says whether an item just failed: only then can the failure threshold end the run early.
   * Otherwise a cheap look at the partial index decides that the run is still busy, without taking the lock.
   */
  async check(runId: string, afterFailure = true): Promise<void> {
    if (!afterFailure && (await this.aggregates.hasItemsInProgress(runId))) return;
    const finished = await this.dataSource.transaction(async (manager) => {
      const run = await manager.findOne(EvaluationRunEntity, { where: { id: runId }, lock: { mode: 'pessimistic_write' } });
      if (!run || (run.status !== RunStatus.Running && run.status !== RunStatus.Paused)) return false;
      const counts = await this.aggregates.itemCounts(runId, manager);
      const finishedItems = counts.succeeded + counts.failed;
      const failedShare = counts.total ? counts.failed / counts.total : 0;
      // Strictly greater: exactly at the threshold the run still completes. Early only after enough items finished.
      const overThreshold = failedShare > run.failureThreshold;
      const failEarly = overThreshold && finishedItems >= this.settings.failureMinFinished;
      if (counts.inProgress > 0 && !failEarly) return false;

      if (counts.inProgress > 0) {
        await this.stages.cancelUnfinished(manager, runId);
        await manager.query(`UPDATE run_items SET state = 'cancelled', updated_at = now() WHERE run_id = $1 AND state = 'in_progress'`, [runId]);
      }
      const error = overThreshold
        ? `${counts.failed} of ${counts.total} items failed (${(failedShare * 100).toFixed(1)}%), more than the failure threshold of ${(run.failureThreshold * 100).toFixed(1)}%`
        : null;
      await this.finish(manager, run, overThreshold ? RunStatus.Failed : RunStatus.Completed, error && `${error}${await this.mostCommonError(manager, runId)}`);
      return true;
    });
    if (finished) await this.afterFinish(runId);
  }

  /** Inside the caller's transaction: final aggregates, status, and the finished event in the outbox. */
  async finish(manager: EntityManager, run: EvaluationRunEntity, status: FinishedStatus, error: string | null): Promise<void> {
    const counts = await this.aggregates.itemCounts(run.id, manager);
    const score = await this.aggregates.score(run.id, manager);
    const { cost } = await this.aggregates.usageAndCost(run.id, manager);
    const finishedAt = new Date();
    await manager.update(EvaluationRunEntity, { id: run.id }, {
      status, error, completedAt: finishedAt, pausedReason: null, itemsSucceeded: counts.succeeded, itemsFailed: counts.failed,
      scoreMean: score.mean, scoreStd: score.std, scoreCount: score.count,
    });
    const event: RunFinishedEvent = {
      runId: run.id, projectId: run.projectId, runName: run.runName, runMode: run.runMode, status,
      itemsTotal: counts.total, itemsSucceeded: counts.succeeded, itemsFailed: counts.failed,
      score, cost, error, finishedAt: finishedAt.toISOString(),
    };
    // One event per attempt of the run: a retried run announces its new end too.
    await this.outbox.enqueue(manager, FINISHED_SUBJECT[status], event, `${run.id}:${status}:${run.attempt}`, run.id);
    this.logger.log(`run ${run.runName} (${run.id}) ${status}`);
  }

  /** `; most common error: <code> (<n> items)`: what to fix before retrying a failed run. */
  private async mostCommonError(manager: EntityManager, runId: string): Promise<string> {
    const rows: Array<{ code: string; n: number }> = await manager.query(
      `SELECT error_code AS code, count(*)::int AS n FROM run_items WHERE run_id = $1 AND state = 'failed' AND error_code IS NOT NULL
       GROUP BY error_code ORDER BY count(*) DESC, error_code LIMIT 1`,
      [runId],
    );
    return rows[0] ? `; most common error: ${rows[0].code} (${rows[0].n} items)` : '';
  }

  /** After the commit: relay the event now (the reconciler would otherwise) and export the result units. */
  async afterFinish(runId: string): Promise<void> {
    await this.outbox.relay();
    await this.exporter.export(runId).catch((error: Error) => this.logger.warn(`export of ${runId} deferred: ${error.message}`));
  }
}
