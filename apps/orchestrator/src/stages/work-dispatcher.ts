import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { BLOB_STORE, BlobStore } from '@yardstick/blob-store';
import { BusPublisher } from '@yardstick/bus';
import { CacheMode, EmbeddedTextRole, encodeFloat32Base64, RunConfigSnapshot, ScorePageItem, ScorerSpec, Stage, Subjects, TextToEmbed } from '@yardstick/contracts';
import { renderPromptTemplate, TemplateRenderError } from '@yardstick/prompting';
import { ClaimedWork } from './item-stage.repository';
import { pipelineOf, PipelineStepRecord, stageOutputs } from './pipeline';

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
  replicate: number;
  cacheMode: CacheMode;
  /** The responses stage's pipeline step and the records of the steps before it. */
  step: number;
  stepOutputs: PipelineStepRecord[];
}

export interface EmbedInput {
  projectId: string;
  endpointId: string | null;
  cacheMode: CacheMode;
  model: string;
  output: string;
  /** The ground truth to embed too, or null when its embedding is already stored. */
  groundTruth: string | null;
}

export interface ScoreInput {
  projectId: string;
  /** For the llm_judge's prompt and call. */
  question?: string;
  cacheMode?: CacheMode;
  scorers: ScorerSpec[];
  output: string;
  groundTruth: string;
  /** A Float32Array from a batch's results (a score page carries it as base64), numbers otherwise. */
  outputEmbedding?: number[] | Float32Array;
  groundTruthEmbedding?: number[] | Float32Array;
}

const PUBLISH_PARALLELISM = 64;

/**
 * Publishes the command that performs claimed work (item x stage x attempt). The Nats-Msg-Id is
 * `<item>:<stage>:<attempt>`: a re-publish of the same attempt is dropped by JetStream, a new attempt is a new message.
 * A failed publish is left to the lease: the reconciler claims and dispatches the work again.
 */
@Injectable()
export class WorkDispatcher {
  private readonly logger = new Logger(WorkDispatcher.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly publisher: BusPublisher,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
  ) {}

  /** Dispatches claimed work whose inputs must be read back from Postgres (first dispatch, retries, expired leases). */
  async dispatch(work: ClaimedWork[]): Promise<void> {
    if (!work.length) return;
    const contexts = await this.loadContexts(work.map((w) => w.itemId));
    for (let start = 0; start < work.length; start += PUBLISH_PARALLELISM) {
      await Promise.all(work.slice(start, start + PUBLISH_PARALLELISM).map((w) => {
        const context = contexts.get(w.itemId);
        return context ? this.publishFromContext(w, context) : undefined;
      }));
    }
  }

  /** The embeddings commands of a page of recorded responses (bulk recording), PUBLISH_PARALLELISM at a time. */
  async publishEmbeds(claims: Array<ClaimedWork & EmbedInput>): Promise<void> {
    for (let start = 0; start < claims.length; start += PUBLISH_PARALLELISM) {
      await Promise.all(claims.slice(start, start + PUBLISH_PARALLELISM).map((claim) => this.publishEmbed(claim, claim)));
    }
  }

  publishEmbed(work: ClaimedWork, input: EmbedInput): Promise<void> {
    const texts: TextToEmbed[] = [{ role: EmbeddedTextRole.Output, text: input.output }];
    if (input.groundTruth !== null) texts.push({ role: EmbeddedTextRole.GroundTruth, text: input.groundTruth });
    return this.send(work, () => this.publisher.publish(Subjects.EmbedTexts, {
      ...ref(work, input.projectId), endpointId: input.endpointId ?? undefined, cacheMode: input.cacheMode, model: input.model, texts,
    }, options(work)));
  }

  /**
   * The scoring of a page of recorded embeddings (bulk recording): one ScorePage command per run, its items in a blob
   * (`score-pages/<run>/<page>/input.jsonl`). A failed write or publish is left to the items' leases: the reconciler then
   * dispatches them one ScoreItem each.
   */
  async publishScorePages(work: Array<{ claim: ClaimedWork; input: ScoreInput }>): Promise<void> {
    const byRun = new Map<string, Array<{ claim: ClaimedWork; input: ScoreInput }>>();
    for (const entry of work) {
      const items = byRun.get(entry.claim.runId);
      if (items) items.push(entry);
      else byRun.set(entry.claim.runId, [entry]);
    }
    for (const [runId, items] of byRun) {
      const pageId = randomUUID();
      const [{ input: first }] = items;
      const inputBlobKey = `score-pages/${runId}/${pageId}/input.jsonl`;
      try {
        await this.blobs.put(inputBlobKey, items.map(({ claim, input }) => `${JSON.stringify({
          itemId: claim.itemId, attempt: claim.attempt, question: input.question, output: input.output, groundTruth: input.groundTruth,
          outputEmbedding: input.outputEmbedding && encodeFloat32Base64(input.outputEmbedding),
          groundTruthEmbedding: input.groundTruthEmbedding && encodeFloat32Base64(input.groundTruthEmbedding),
        } satisfies ScorePageItem)}\n`).join(''), { contentType: 'application/x-ndjson' });
        await this.publisher.publish(Subjects.ScorePage, {
          runId, projectId: first.projectId, pageId, inputBlobKey, resultsBlobKey: `score-pages/${runId}/${pageId}/results.jsonl`,
          itemCount: items.length, scorers: first.scorers, cacheMode: first.cacheMode,
        }, { messageId: `score-page:${pageId}`, correlationId: runId });
      } catch (error) {
        this.logger.warn(`score page ${pageId} of run ${runId} (${items.length} items) not dispatched, their leases will re-drive them: ${(error as Error).message}`);
      }
    }
  }

  publishScore(work: ClaimedWork, input: ScoreInput): Promise<void> {
    return this.send(work, () => this.publisher.publish(Subjects.ScoreItem, {
      ...ref(work, input.projectId),
      scorers: input.scorers,
      output: input.output,
      groundTruth: input.groundTruth,
      outputEmbedding: input.outputEmbedding && numbers(input.outputEmbedding),
      groundTruthEmbedding: input.groundTruthEmbedding && numbers(input.groundTruthEmbedding),
      question: input.question,
      cacheMode: input.cacheMode,
    }, options(work)));
  }

  private publishFromContext(work: ClaimedWork, c: WorkContext): Promise<void> {
    switch (work.stage) {
      case Stage.Responses:
        return this.publishResponse(work, c);
      case Stage.Embeddings:
        return this.publishEmbed(work, {
          projectId: c.projectId, endpointId: c.config.providerEndpointId ?? null, cacheMode: c.cacheMode,
          model: c.config.embeddingModel, output: c.output ?? '',
          groundTruth: c.groundTruthEmbedding ? null : c.groundTruth,
        });
      case Stage.Scoring:
        return this.publishScore(work, {
          projectId: c.projectId, scorers: c.scorers, output: c.output ?? '', groundTruth: c.groundTruth, question: c.question, cacheMode: c.cacheMode,
          outputEmbedding: c.outputEmbedding ?? undefined, groundTruthEmbedding: c.groundTruthEmbedding ?? undefined,
        });
      default: {
        const unknown: never = work.stage;
        throw new Error(`unknown stage ${String(unknown)}`);
      }
    }
  }

  /** The command for the item's current pipeline step, its template rendered with the row and the earlier steps' outputs. */
  private publishResponse(work: ClaimedWork, c: WorkContext): Promise<void> {
    const step = pipelineOf(c.config)[c.step];
    let input: string;
    try {
      if (!step) throw new TemplateRenderError(`the run's pipeline has no step ${c.step}`);
      input = renderPromptTemplate(step.promptTemplate, { question: c.question, category: c.category ?? '', stages: stageOutputs(c.stepOutputs) });
    } catch (error) {
      // Validated when the config version was created, so this is rare; retrying would not help: the item fails.
      return this.send(work, () => this.publisher.publish(Subjects.ItemStageFailed, {
        ...ref(work, c.projectId), stage: Stage.Responses,
        error: { code: 'template_error', message: `pipeline step ${c.step}: ${(error as Error).message}`.slice(0, 2000), retryable: false },
      }, { messageId: `${work.itemId}:${work.stage}:${work.attempt}:failed`, correlationId: work.runId }));
    }
    return this.send(work, () => this.publisher.publish(Subjects.GenerateResponse, {
      ...ref(work, c.projectId),
      endpointId: c.config.providerEndpointId,
      cacheMode: c.cacheMode,
      replicate: c.replicate,
      model: step.model,
      instructions: step.instructions,
      input,
      params: step.params ?? {},
      step: c.step || undefined,
    }, options(work)));
  }

  private async send(work: ClaimedWork, publish: () => Promise<unknown>): Promise<void> {
    try {
      await publish();
    } catch (error) {
      this.logger.warn(`publish of ${work.itemId}:${work.stage}:${work.attempt} failed, the lease will re-drive it: ${(error as Error).message}`);
    }
  }

  private async loadContexts(itemIds: string[]): Promise<Map<string, WorkContext>> {
    const rows: WorkContext[] = await this.dataSource.query(
      `SELECT i.id AS "itemId", i.run_id AS "runId", i.project_id AS "projectId", i.question, i.category,
              i.ground_truth AS "groundTruth", i.output, i.output_embedding AS "outputEmbedding",
              g.embedding AS "groundTruthEmbedding", r.config, r.scorers, i.replicate, r.cache_mode AS "cacheMode",
              coalesce(rs.step, 0) AS step, coalesce(rs.step_outputs, '[]') AS "stepOutputs"
       FROM run_items i
       JOIN evaluation_runs r ON r.id = i.run_id
       LEFT JOIN item_stages rs ON rs.item_id = i.id AND rs.stage = 'responses'
       LEFT JOIN ground_truth_embeddings g ON g.dataset_item_id = i.dataset_item_id AND g.embedding_model = r.config->>'embeddingModel'
       WHERE i.id = ANY($1::uuid[])`,
      [itemIds],
    );
    return new Map(rows.map((row) => [row.itemId, row]));
  }
}

function ref(work: ClaimedWork, projectId: string) {
  return { runId: work.runId, projectId, itemId: work.itemId, attempt: work.attempt };
}

function options(work: ClaimedWork) {
  return { messageId: `${work.itemId}:${work.stage}:${work.attempt}`, correlationId: work.runId };
}

/** A vector as the JSON numbers a ScoreItem command carries (a fast-path vector already is one: no copy). */
function numbers(vector: number[] | Float32Array): number[] {
  return vector instanceof Float32Array ? Array.from(vector) : vector;
}
