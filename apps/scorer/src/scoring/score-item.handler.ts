import { Injectable } from '@nestjs/common';
import { BusPublisher, OnSubject } from '@yardstick/bus';
import { Consumers, ItemWorkRef, ScoreItemCommand, Stage, StageError, Subjects } from '@yardstick/contracts';
import { scoredFields, stageErrorOf } from './scored-item';
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
    await this.publisher.publish(Subjects.ItemScored, { ...ref, ...scoredFields(scored) }, { messageId: `${work}:scored`, correlationId: command.runId });
  }
}
