import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import {
  EmbeddedTextRole, EmbeddingsComputedEvent, ItemScoredEvent, ItemStageFailedEvent, ItemStageState, ResponseGeneratedEvent,
  RUN_PAUSING_ERROR_CODES, RunStatus, Stage, StageError,
} from '@yardstick/contracts';
import { RunLiveEvents } from '../live/run-live-events';
import { RunFinalizer } from '../runs/run-finalizer';
import { BulkEmbeddings, BulkResponse, ItemResultsRepository } from './item-results.repository';
import { ClaimedWork, ItemStageRepository } from './item-stage.repository';
import { PipelineStepsService } from './pipeline-steps.service';
import { nextAttemptAt } from './retry-policy';
import { RunScorersCache } from './run-scorers.cache';
import { StageSettings } from './stage-settings';
import { scoredItemRecord } from './scored-item';
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
    private readonly pipelineSteps: PipelineStepsService,
    private readonly live: RunLiveEvents,
  ) {}

  async recordResponse(event: ResponseGeneratedEvent): Promise<void> {
    if (event.warnings?.length) await this.results.addRunWarnings(event.runId, event.warnings);
    // A prompt pipeline's earlier steps stay inside the responses stage; only the last step's result completes it.
    const step = await this.pipelineSteps.recordStep(event);
    if (!step.final) return;
    const recorded = await this.results.recordResponse(event.itemId, event.output, event, this.settings.leaseMs, step);
    if (!recorded) return;
    const next = recorded.claim;
    if (next) {
      await this.dispatcher.publishEmbed(next, {
        projectId: next.projectId, endpointId: next.endpointId, cacheMode: next.cacheMode, model: next.embeddingModel, output: next.output,
        groundTruth: next.groundTruthEmbedded ? null : next.groundTruth,
      });
    }
    await this.refill(recorded.runId);
  }

  /**
   * The bulk `recordResponse` for a page of batch results of a single-step pipeline: one statement records them and
   * claims their embeddings stages (into `embeddingsBatch` when given); then the embeddings commands (if not batched) go
   * out and the freed room is refilled, per run.
   * Returns how many were recorded (a page recorded again records none).
   */
  async recordResponses(results: BulkResponse[], embeddingsBatch: { id: string; leaseMs: number } | null = null): Promise<number> {
    const recorded = await this.results.recordResponses(results, this.settings.leaseMs, embeddingsBatch);
    await this.dispatcher.publishEmbeds(recorded.flatMap(({ claim }) => (claim ? [{
      ...claim, model: claim.embeddingModel, groundTruth: claim.groundTruthEmbedded ? null : claim.groundTruth,
    }] : [])));
    const perRun = new Map<string, number>();
    for (const { runId } of recorded) perRun.set(runId, (perRun.get(runId) ?? 0) + 1);
    for (const [runId, freed] of perRun) await this.dispatcher.dispatch(await this.stages.claimPending(runId, freed, this.settings.leaseMs));
    return recorded.length;
  }

  /** A provider slot of the run was freed: claim one more pending item (backpressure: MAX_IN_FLIGHT_PER_RUN). */
  private async refill(runId: string): Promise<void> {
    await this.dispatcher.dispatch(await this.stages.claimPending(runId, 1, this.settings.leaseMs));
  }

  async recordEmbeddings(event: EmbeddingsComputedEvent): Promise<void> {
    if (event.warnings?.length) await this.results.addRunWarnings(event.runId, event.warnings);
    const output = event.vectors.find((v) => v.role === EmbeddedTextRole.Output)?.embedding ?? null;
    const groundTruth = event.vectors.find((v) => v.role === EmbeddedTextRole.GroundTruth)?.embedding ?? null;
    const next = await this.results.recordEmbeddings(event.itemId, event.model, output, groundTruth, event, this.settings.leaseMs);
    if (!next) return;
    await this.dispatcher.publishScore(next, {
      projectId: next.projectId, scorers: next.scorers, output: next.output, groundTruth: next.groundTruth,
      question: next.question, cacheMode: next.cacheMode,
      outputEmbedding: output ?? undefined, groundTruthEmbedding: groundTruth ?? next.storedGroundTruthEmbedding ?? undefined,
    });
  }

  /**
   * The bulk `recordEmbeddings` for a page of an embeddings batch's results: one statement records them and claims
   * their scoring stages; then they are scored as one page (ScorePage). Returns how many were recorded (a page again: none).
   */
  async recordEmbeddingsPage(model: string, results: BulkEmbeddings[]): Promise<number> {
    const recorded = await this.results.recordEmbeddingsPage(model, results, this.settings.leaseMs);
    const byItem = new Map(results.map((result) => [result.itemId, result]));
    await this.dispatcher.publishScorePages(recorded.flatMap(({ itemId, claim }) => {
      const result = byItem.get(itemId);
      if (!claim || !result) return [];
      return [{ claim, input: {
        projectId: claim.projectId, scorers: claim.scorers, output: claim.output, groundTruth: claim.groundTruth, question: claim.question,
        cacheMode: claim.cacheMode, outputEmbedding: result.outputEmbedding,
        groundTruthEmbedding: result.groundTruthEmbedding ?? claim.storedGroundTruthEmbedding ?? undefined,
      } }];
    }));
    return recorded.length;
  }

  async recordScores(event: ItemScoredEvent): Promise<void> {
    const { score, scores, outcome, scorerErrors, verdicts } = scoredItemRecord(await this.scorers.get(event.runId), event);
    if (event.warnings?.length) await this.results.addRunWarnings(event.runId, event.warnings);
    const runId = await this.results.recordScores(event.itemId, score, scores, outcome, scorerErrors, verdicts);
    if (!runId) return;
    this.live.itemFinished(runId, event.itemId, 'succeeded', score);
    await this.finalizer.check(runId, false);
  }

  async recordFailure(event: ItemStageFailedEvent): Promise<void> {
    if (RUN_PAUSING_ERROR_CODES.includes(event.error.code)) return this.pauseRunFor(event);
    const moved = await this.dataSource.transaction(async (manager) => {
      // Back off from the attempt within the stage's own budget: a pipeline step's first retry waits as briefly as stage 1's.
      const own = await this.stages.ownAttempt(manager, event.itemId, event.stage, event.attempt);
      if (own === null) return null;
      const retryAt = nextAttemptAt(event.error, own, this.settings.retry);
      const work = await this.stages.fail(manager, event.itemId, event.stage, event.attempt, event.error, retryAt, this.settings.retry.maxAttempts);
      if (work?.state === ItemStageState.FailedPermanent) await this.markItemFailed(manager, work, event.projectId, event.error);
      return work;
    });
    if (!moved) return;
    if (moved.state === ItemStageState.FailedPermanent) {
      this.live.itemFinished(moved.runId, event.itemId, 'failed', null);
      await this.finalizer.check(moved.runId);
    }
    if (event.stage === Stage.Responses) await this.refill(moved.runId);
  }

  /** Leases that expired with no attempts left: those items fail for good (the reconciler calls this). */
  async failExhaustedLeases(limit: number): Promise<void> {
    const failed = await this.dataSource.transaction(async (manager) => {
      const rows = await this.stages.failExhaustedLeases(manager, this.settings.retry.maxAttempts, limit);
      for (const work of rows) {
        await this.markItemFailed(manager, work, work.projectId, { code: 'attempts_exhausted', message: 'no result before the lease expired', retryable: false });
      }
      return rows;
    });
    for (const work of failed) this.live.itemFinished(work.runId, work.itemId, 'failed', null);
    for (const runId of new Set(failed.map((w) => w.runId))) await this.finalizer.check(runId);
  }

  /** The item's overall state follows its stage's permanent failure; its later stages will never run. */
  private async markItemFailed(manager: EntityManager, work: ClaimedWork, projectId: string, error: StageError): Promise<void> {
    await manager.query(
      `UPDATE run_items SET state = 'failed', error_stage = $2, error_code = $3, error_message = $4, updated_at = now()
       WHERE id = $1 AND state = 'in_progress'`,
      [work.itemId, work.stage, error.code, error.message.slice(0, 2000)],
    );
    await this.stages.cancelLaterStages(manager, work, projectId);
  }

  /** Waiting would not help (no quota, a rejected key): the item goes back to pending and the run pauses with the reason. */
  private async pauseRunFor(event: ItemStageFailedEvent): Promise<void> {
    const reason = `the provider answered ${event.error.code}: ${event.error.message}`.slice(0, 2000);
    const paused = await this.dataSource.transaction(async (manager) => {
      const moved = await this.stages.returnToPending(manager, event.itemId, event.stage, event.attempt, event.error);
      if (!moved) return false;
      const [, changed]: [unknown, number] = await manager.query(
        `UPDATE evaluation_runs SET status = 'paused', paused_reason = $2, updated_at = now() WHERE id = $1 AND status = 'running'`,
        [event.runId, reason],
      );
      return changed > 0;
    });
    if (paused) await this.live.statusChanged(event.runId, RunStatus.Paused, reason, `${event.itemId}:${event.stage}:${event.attempt}`);
  }
}
