import { Injectable } from '@nestjs/common';
import { BusPublisher, OnSubject } from '@yardstick/bus';
import { Consumers, ItemWorkRef, ScoreItemCommand, Stage, StageError, Subjects } from '@yardstick/contracts';
import { JudgeCallError } from './judge/judge-call.error';
import { ScorerError, SCORER_ERROR_STAGE_CODE } from './scorer.error';
import { ScoredItem, ScoringService } from './scoring.service';

/**
 * Scores one item and answers with ItemScored, or ItemStageFailed when the item cannot be scored.
 * Idempotent: results are deterministic (a judge's answer is recorded once by llm-caller and replayed) and message ids are
 * `<item>:scoring:<attempt>:<outcome>`, so a redelivered command republishes the same event and JetStream keeps one.
 */
@Injectable()
export class ScoreItemHandler {
  constructor(
    private readonly scoring: ScoringService,
    private readonly publisher: BusPublisher,
  ) {}

  @OnSubject(Consumers.ScorerScoreItem)
  async scoreItem(command: ScoreItemCommand): Promise<void> {
    const ref: ItemWorkRef = { runId: command.runId, projectId: command.projectId, itemId: command.itemId, attempt: command.attempt };
    const work = `${command.itemId}:${Stage.Scoring}:${command.attempt}`;
    let scored: ScoredItem;
    try {
      scored = await this.scoring.score(command);
    } catch (error) {
      const stageError = stageErrorOf(error);
      if (!stageError) throw error;
      // Not thrown back to the bus: the orchestrator owns the item's fate (and its retries) and must hear about it.
      await this.publisher.publish(
        Subjects.ItemStageFailed,
        { ...ref, stage: Stage.Scoring, error: stageError },
        { messageId: `${work}:failed`, correlationId: command.runId },
      );
      return;
    }
    const { results, errors, spend } = scored;
    await this.publisher.publish(Subjects.ItemScored, {
      ...ref,
      results,
      ...(errors.length ? { errors } : {}),
      ...(spend ? {
        usage: spend.usage, latencyMs: spend.latencyMs, costUsd: spend.costUsd, cacheHit: spend.cacheHit, savedTokens: spend.savedTokens,
        savedCostUsd: spend.savedCostUsd, ...(spend.warnings?.length ? { warnings: spend.warnings } : {}),
      } : {}),
    }, { messageId: `${work}:scored`, correlationId: command.runId });
  }
}

function stageErrorOf(error: unknown): StageError | null {
  if (error instanceof ScorerError) return { code: SCORER_ERROR_STAGE_CODE, message: error.message, retryable: false };
  if (error instanceof JudgeCallError) return error.stageError;
  return null;
}
