import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BusPublisher } from '@yardstick/bus';
import { EmbeddedTextRole, RunConfigSnapshot, ScorerSpec, Stage, Subjects, TextToEmbed } from '@yardstick/contracts';
import { renderPromptTemplate } from '@yardstick/prompting';
import { ClaimedWork } from './item-stage.repository';

interface WorkContext {
  itemId: string;
  runId: string;
  projectId: string;
  question: string;
  category: string | null;
  groundTruth: string;
  output: string | null;
  outputEmbedding: number[] | null;
  groundTruthEmbedding: number[] | null;
  config: RunConfigSnapshot;
  scorers: ScorerSpec[];
}

const PUBLISH_PARALLELISM = 64;

/**
 * Turns claimed work (item x stage x attempt) into the command that performs it and publishes it.
 * The Nats-Msg-Id is `<item>:<stage>:<attempt>`: a re-publish of the same attempt is dropped by JetStream,
 * a new attempt is a new message.
 */
@Injectable()
export class WorkDispatcher {
  private readonly logger = new Logger(WorkDispatcher.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly publisher: BusPublisher,
  ) {}

  /** Publishes the commands; a failed publish is left to the lease: the reconciler dispatches it again. */
  async dispatch(work: ClaimedWork[]): Promise<void> {
    if (!work.length) return;
    const contexts = await this.loadContexts(work.map((w) => w.itemId));
    for (let start = 0; start < work.length; start += PUBLISH_PARALLELISM) {
      await Promise.all(
        work.slice(start, start + PUBLISH_PARALLELISM).map((w) => {
          const context = contexts.get(w.itemId);
          if (!context) return undefined;
          return this.publish(w, context).catch((error: Error) =>
            this.logger.warn(`publish of ${w.itemId}:${w.stage}:${w.attempt} failed, the lease will re-drive it: ${error.message}`),
          );
        }),
      );
    }
  }

  private async publish(work: ClaimedWork, c: WorkContext): Promise<void> {
    const ref = { runId: c.runId, projectId: c.projectId, itemId: c.itemId, attempt: work.attempt };
    const options = { messageId: `${work.itemId}:${work.stage}:${work.attempt}`, correlationId: c.runId };
    switch (work.stage) {
      case Stage.Responses:
        await this.publisher.publish(Subjects.GenerateResponse, {
          ...ref,
          model: c.config.model,
          instructions: c.config.instructions,
          input: renderPromptTemplate(c.config.promptTemplate, { question: c.question, category: c.category ?? '' }),
          params: c.config.params ?? {},
        }, options);
        return;
      case Stage.Embeddings: {
        const texts: TextToEmbed[] = [{ role: EmbeddedTextRole.Output, text: c.output ?? '' }];
        if (!c.groundTruthEmbedding) texts.push({ role: EmbeddedTextRole.GroundTruth, text: c.groundTruth });
        await this.publisher.publish(Subjects.EmbedTexts, { ...ref, model: c.config.embeddingModel, texts }, options);
        return;
      }
      case Stage.Scoring:
        await this.publisher.publish(Subjects.ScoreItem, {
          ...ref,
          scorers: c.scorers,
          output: c.output ?? '',
          groundTruth: c.groundTruth,
          outputEmbedding: c.outputEmbedding ?? undefined,
          groundTruthEmbedding: c.groundTruthEmbedding ?? undefined,
        }, options);
        return;
      default: {
        const unknown: never = work.stage;
        throw new Error(`unknown stage ${String(unknown)}`);
      }
    }
  }

  private async loadContexts(itemIds: string[]): Promise<Map<string, WorkContext>> {
    const rows: WorkContext[] = await this.dataSource.query(
      `SELECT i.id AS "itemId", i.run_id AS "runId", i.project_id AS "projectId", i.question, i.category,
              i.ground_truth AS "groundTruth", i.output, i.output_embedding AS "outputEmbedding",
              g.embedding AS "groundTruthEmbedding", r.config, r.scorers
       FROM run_items i
       JOIN evaluation_runs r ON r.id = i.run_id
       LEFT JOIN ground_truth_embeddings g ON g.dataset_item_id = i.dataset_item_id AND g.embedding_model = r.config->>'embeddingModel'
       WHERE i.id = ANY($1::uuid[])`,
      [itemIds],
    );
    return new Map(rows.map((row) => [row.itemId, row]));
  }
}
