import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  EmbeddedTextRole, EmbeddingsComputedEvent, ItemScoredEvent, ItemStageFailedEvent, ResponseGeneratedEvent, ScorerSpec, Stage,
} from '@yardstick/contracts';
import { RunFinalizer } from '../runs/run-finalizer';
import { ItemStageRepository } from './item-stage.repository';
import { nextAttemptAt } from './retry-policy';
import { StageSettings } from './stage-settings';
import { WorkDispatcher } from './work-dispatcher';
import { weightedScore } from './weighted-score';

/**
 * Moves one item through responses -> embeddings -> scoring as the results come in, independently of the other items.
 * Each method records the result and claims the next stage in one transaction, then dispatches it.
 */
@Injectable()
export class ItemProgressService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly stages: ItemStageRepository,
    private readonly dispatcher: WorkDispatcher,
    private readonly finalizer: RunFinalizer,
    private readonly settings: StageSettings,
  ) {}

  async recordResponse(event: ResponseGeneratedEvent): Promise<void> {
    const next = await this.dataSource.transaction(async (manager) => {
      const done = await this.stages.succeed(manager, event.itemId, Stage.Responses, event);
      if (!done) return null;
      await manager.query(`UPDATE run_items SET output = $2, updated_at = now() WHERE id = $1`, [event.itemId, event.output]);
      return this.stages.startNext(manager, done, event.projectId, Stage.Embeddings, this.settings.leaseMs);
    });
    if (next) await this.dispatcher.dispatch([next]);
  }

  async recordEmbeddings(event: EmbeddingsComputedEvent): Promise<void> {
    const output = event.vectors.find((v) => v.role === EmbeddedTextRole.Output);
    const groundTruth = event.vectors.find((v) => v.role === EmbeddedTextRole.GroundTruth);
    const next = await this.dataSource.transaction(async (manager) => {
      const done = await this.stages.succeed(manager, event.itemId, Stage.Embeddings, event);
      if (!done) return null;
      await manager.query(`UPDATE run_items SET output_embedding = $2, updated_at = now() WHERE id = $1`, [event.itemId, output?.embedding ?? null]);
      if (groundTruth) {
        await manager.query(
          `INSERT INTO ground_truth_embeddings (dataset_item_id, embedding_model, project_id, embedding)
           SELECT dataset_item_id, $2, project_id, $3 FROM run_items WHERE id = $1
           ON CONFLICT (dataset_item_id, embedding_model) DO NOTHING`,
          [event.itemId, event.model, groundTruth.embedding],
        );
      }
      return this.stages.startNext(manager, done, event.projectId, Stage.Scoring, this.settings.leaseMs);
    });
    if (next) await this.dispatcher.dispatch([next]);
  }

  async recordScores(event: ItemScoredEvent): Promise<void> {
    const done = await this.dataSource.transaction(async (manager) => {
      const scored = await this.stages.succeed(manager, event.itemId, Stage.Scoring, {});
      if (!scored) return null;
      const [{ scorers }]: Array<{ scorers: ScorerSpec[] }> = await manager.query(
        `SELECT r.scorers FROM evaluation_runs r WHERE r.id = $1`, [scored.runId],
      );
      const byScorer = Object.fromEntries(event.results.map((r) => [r.scorer, r.value]));
      await manager.query(
        `UPDATE run_items SET state = 'succeeded', score = $2, scores = $3, updated_at = now() WHERE id = $1 AND state = 'in_progress'`,
        [event.itemId, weightedScore(scorers, byScorer), byScorer],
      );
      return scored;
    });
    if (done) await this.finalizer.check(done.runId, false);
  }

  async recordFailure(event: ItemStageFailedEvent): Promise<void> {
    const retryAt = nextAttemptAt(event.error, event.attempt, this.settings.retry);
    const failed = await this.dataSource.transaction(async (manager) => {
      const moved = await this.stages.fail(manager, event.itemId, event.stage, event.attempt, event.error, retryAt);
      if (!moved || retryAt) return null;
      await manager.query(
        `UPDATE run_items SET state = 'failed', error_stage = $2, error_code = $3, error_message = $4, updated_at = now()
         WHERE id = $1 AND state = 'in_progress'`,
        [event.itemId, event.stage, event.error.code, event.error.message.slice(0, 2000)],
      );
      await this.stages.cancelLaterStages(manager, moved, event.projectId);
      return moved;
    });
    if (failed) await this.finalizer.check(failed.runId);
  }
}
