import { Injectable } from '@nestjs/common';
import { BusPublisher, OnSubject } from '@yardstick/bus';
import { Consumers, ItemWorkRef, ScoreItemCommand, ScorerResult, Stage, Subjects } from '@yardstick/contracts';
import { ScorerError, SCORER_ERROR_STAGE_CODE } from './scorer.error';
import { ScoringService } from './scoring.service';

/**
 * Scores one item and answers with ItemScored, or ItemStageFailed when the item cannot be scored.
 * Idempotent: results are deterministic and message ids are `<item>:scoring:<attempt>:<outcome>`,
 * so a redelivered command republishes the same event and JetStream keeps one.
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
    let results: ScorerResult[];
    try {
      results = this.scoring.score(command);
    } catch (error) {
      if (!(error instanceof ScorerError)) throw error;
      // Not thrown back to the bus: the orchestrator owns the item's fate and must hear about it.
      await this.publisher.publish(
        Subjects.ItemStageFailed,
        { ...ref, stage: Stage.Scoring, error: { code: SCORER_ERROR_STAGE_CODE, message: error.message, retryable: false } },
        { messageId: `${work}:failed`, correlationId: command.runId },
      );
      return;
    }
    await this.publisher.publish(Subjects.ItemScored, { ...ref, results }, { messageId: `${work}:scored`, correlationId: command.runId });
  }
}
