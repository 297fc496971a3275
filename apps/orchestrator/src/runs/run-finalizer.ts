import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { RunFinishedEvent, RunStatus, Subjects } from '@yardstick/contracts';
import { OutboxRelay } from '../outbox/outbox.relay';
import { ItemStageRepository } from '../stages/item-stage.repository';
import { RunAggregatesRepository } from './run-aggregates.repository';
import { EvaluationRunEntity } from './evaluation-run.entity';
import { RunResultsExporter } from './run-results.exporter';

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
  ) {}

  /**
   * `afterFailure` says whether an item just failed: only then can the failure threshold end the run early.
   * Otherwise a cheap look at the partial index decides that the run is still busy, without taking the lock.
   */
  async check(runId: string, afterFailure = true): Promise<void> {
    if (!afterFailure && (await this.aggregates.hasItemsInProgress(runId))) return;
    const eventId = await this.dataSource.transaction(async (manager) => {
      const run = await manager.findOne(EvaluationRunEntity, { where: { id: runId }, lock: { mode: 'pessimistic_write' } });
      if (!run || run.status !== RunStatus.Running) return null;
      const counts = await this.aggregates.itemCounts(runId, manager);
      const failedShare = counts.total ? counts.failed / counts.total : 0;
      // Strictly greater: exactly at the threshold the run still completes.
      const overThreshold = failedShare > run.failureThreshold;
      if (counts.inProgress > 0 && !overThreshold) return null;

      if (overThreshold && counts.inProgress > 0) {
        await this.stages.cancelUnfinished(manager, runId);
        await manager.query(`UPDATE run_items SET state = 'cancelled', updated_at = now() WHERE run_id = $1 AND state = 'in_progress'`, [runId]);
      }
      const status = overThreshold ? RunStatus.Failed : RunStatus.Completed;
      const error = overThreshold
        ? `${counts.failed} of ${counts.total} items failed (${(failedShare * 100).toFixed(1)}%), more than the failure threshold of ${(run.failureThreshold * 100).toFixed(1)}%`
        : null;
      const score = await this.aggregates.score(runId, manager);
      const { cost } = await this.aggregates.usageAndCost(runId, manager);
      const finishedAt = new Date();
      await manager.update(EvaluationRunEntity, { id: runId }, {
        status, error, completedAt: finishedAt, itemsSucceeded: counts.succeeded, itemsFailed: counts.failed,
        scoreMean: score.mean, scoreStd: score.std, scoreCount: score.count,
      });
      const event: RunFinishedEvent = {
        runId, projectId: run.projectId, runName: run.runName, runMode: run.runMode, status,
        itemsTotal: counts.total, itemsSucceeded: counts.succeeded, itemsFailed: counts.failed,
        score, cost, error, finishedAt: finishedAt.toISOString(),
      };
      const id = `${runId}:${status}`;
      await this.outbox.enqueue(manager, status === RunStatus.Completed ? Subjects.RunCompleted : Subjects.RunFailed, event, id, runId);
      this.logger.log(`run ${run.runName} (${runId}) ${status}`);
      return id;
    });
    if (eventId) {
      await this.outbox.relay([eventId]);
      await this.exporter.export(runId).catch((error: Error) => this.logger.warn(`export of ${runId} deferred: ${error.message}`));
    }
  }
}
