import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  EmbeddedTextRole, EmbeddingsComputedEvent, ItemScoredEvent, ItemStageFailedEvent, ResponseGeneratedEvent,
} from '@yardstick/contracts';
import { RunFinalizer } from '../runs/run-finalizer';
import { ItemResultsRepository } from './item-results.repository';
import { ItemStageRepository } from './item-stage.repository';
import { nextAttemptAt } from './retry-policy';
import { RunScorersCache } from './run-scorers.cache';
import { StageSettings } from './stage-settings';
import { weightedScore } from './weighted-score';
import { WorkDispatcher } from './work-dispatcher';

/**
 * Moves one item through responses -> embeddings -> scoring as the results come in, independently of the other items.
 * Each result is recorded and the next stage claimed in one statement; then the next command is published.
 */
@Injectable()
export class ItemProgressService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly stages: ItemStageRepository,
    private readonly results: ItemResultsRepository,
    private readonly scorers: RunScorersCache,
    private readonly dispatcher: WorkDispatcher,
    private readonly finalizer: RunFinalizer,
    private readonly settings: StageSettings,
  ) {}

  async recordResponse(event: ResponseGeneratedEvent): Promise<void> {
    const next = await this.results.recordResponse(event.itemId, event.output, event, this.settings.leaseMs);
    if (!next) return;
    await this.dispatcher.publishEmbed(next, {
      projectId: next.projectId, model: next.embeddingModel, output: next.output,
      groundTruth: next.groundTruthEmbedded ? null : next.groundTruth,
    });
  }

  async recordEmbeddings(event: EmbeddingsComputedEvent): Promise<void> {
    const output = event.vectors.find((v) => v.role === EmbeddedTextRole.Output)?.embedding ?? null;
    const groundTruth = event.vectors.find((v) => v.role === EmbeddedTextRole.GroundTruth)?.embedding ?? null;
    const next = await this.results.recordEmbeddings(event.itemId, event.model, output, groundTruth, event, this.settings.leaseMs);
    if (!next) return;
    await this.dispatcher.publishScore(next, {
      projectId: next.projectId, scorers: next.scorers, output: next.output, groundTruth: next.groundTruth,
      outputEmbedding: output ?? undefined, groundTruthEmbedding: groundTruth ?? next.storedGroundTruthEmbedding ?? undefined,
    });
  }

  async recordScores(event: ItemScoredEvent): Promise<void> {
    const byScorer = Object.fromEntries(event.results.map((r) => [r.scorer, r.value]));
    const score = weightedScore(await this.scorers.get(event.runId), byScorer);
    const runId = await this.results.recordScores(event.itemId, score, byScorer);
    if (runId) await this.finalizer.check(runId, false);
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
