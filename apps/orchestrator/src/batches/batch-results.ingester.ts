import { Inject, Injectable, Logger } from '@nestjs/common';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { BLOB_STORE, BlobStore } from '@yardstick/blob-store';
import { BatchResultLine, decodeFloat32Base64, ItemWorkRef, Stage, StageError } from '@yardstick/contracts';
import { BulkEmbeddings, BulkResponse } from '../stages/item-results.repository';
import { ItemProgressService } from '../stages/item-progress.service';
import { pipelineOf, stepRecord } from '../stages/pipeline';
import { parseBatchCustomId } from './batch-request-line';
import { BatchInputWriter } from './batch-input.writer';
import { missingResultError, StageBatchRow, StageBatchStatus } from './stage-batch';

/** Results recorded at once: each is a few statements; more would crowd the connection pool. */
const PARALLELISM = 32;
/** Succeeded results recorded per statement (ItemProgressService.recordResponses). */
const RECORD_PAGE = 1_000;
const MAX_QUEUED_PAGES = 2;

export interface IngestedBatch {
  succeeded: number;
  failed: number;
  costUsd: number;
}

/**
 * Records a collected batch's results with the fast path's compare-and-sets (ItemProgressService): succeeded results a
 * page of RECORD_PAGE per statement (`recordResponses`, `recordEmbeddingsPage`), failures per item. Each result only
 * moves an in-flight row, so recording again after a crash changes nothing; the next stage (embeddings, then scoring)
 * is claimed in the same statement. Requests that got no line at all fail as `missingResultError`.
 */
@Injectable()
export class BatchResultsIngester {
  private readonly logger = new Logger(BatchResultsIngester.name);

  constructor(
    private readonly progress: ItemProgressService,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
  ) {}

  /**
   * `embeddingsBatch`: the embeddings batch fed by this responses batch; its succeeded items' embeddings are claimed into
   * it (null: they run on the fast path).
   */
  async ingest(
    batch: StageBatchRow, resultsKey: string, status: StageBatchStatus, batchError: string | null,
    embeddingsBatch: { id: string; leaseMs: number } | null = null,
  ): Promise<IngestedBatch> {
    const seen = new Set<string>();
    const totals: IngestedBatch = { succeeded: 0, failed: 0, costUsd: 0 };
    // Succeeded results are recorded a page per statement (a longer pipeline's responses go on to their next step per item).
    const steps = pipelineOf(batch.config);
    const bulk = batch.stage === Stage.Responses && steps.length === 1;
    let page: BulkResponse[] = [];
    let vectors: BulkEmbeddings[] = [];
    let recording: Promise<unknown> = Promise.resolve();
    let queued = 0;
    // One page is recorded at a time (in line order) while the next one is read; reading waits while MAX_QUEUED_PAGES
    // wait their turn, so memory holds a few pages, not the file.
    const recordPage = () => {
      const [responses, embeddings] = [page, vectors];
      [page, vectors] = [[], []];
      queued += 1;
      recording = recording.then(async () => {
        if (responses.length) await this.progress.recordResponses(responses, embeddingsBatch);
        if (embeddings.length) await this.progress.recordEmbeddingsPage(batch.model, embeddings);
      }).finally(() => (queued -= 1));
      return recording;
    };
    const backlog = () => (queued >= MAX_QUEUED_PAGES ? recording : undefined);
    await this.eachLine(resultsKey, async (line) => {
      const result = JSON.parse(line) as BatchResultLine;
      seen.add(result.customId);
      const ref = this.refOf(batch, result.customId);
      if (!ref) return;
      if (result.error) {
        totals.failed += 1;
        await this.progress.recordFailure({ ...ref, stage: batch.stage, error: result.error });
        return;
      }
      if (batch.stage === Stage.Embeddings) {
        const [output, groundTruth] = (result.embeddings ?? []).map(decodeFloat32Base64);
        if (!output?.length) {
          totals.failed += 1;
          const error = { code: 'invalid_provider_response', message: 'the batch result has no embedding', retryable: true };
          return this.progress.recordFailure({ ...ref, stage: Stage.Embeddings, error });
        }
        totals.succeeded += 1;
        totals.costUsd += result.costUsd ?? 0;
        vectors.push({
          itemId: ref.itemId, outputEmbedding: output, groundTruthEmbedding: groundTruth ?? null,
          usage: result.usage ?? { inputTokens: 0, outputTokens: 0, totalTokens: 0 }, costUsd: result.costUsd ?? 0,
        });
        if (vectors.length >= RECORD_PAGE) await recordPage();
        return;
      }
      totals.succeeded += 1;
      totals.costUsd += result.costUsd ?? 0;
      if (bulk) {
        const usage = result.usage ?? { inputTokens: 0, outputTokens: 0, totalTokens: 0 };
        const model = result.model ?? batch.model;
        page.push({
          itemId: ref.itemId, output: result.output ?? '', usage, costUsd: result.costUsd ?? 0,
          record: stepRecord(steps[0], model, { usage, latencyMs: 0, costUsd: result.costUsd ?? 0, cacheHit: false }, undefined),
        });
        if (page.length >= RECORD_PAGE) await recordPage();
        return;
      }
      await this.progress.recordResponse({
        ...ref, model: result.model ?? batch.model, output: result.output ?? '',
        usage: result.usage ?? { inputTokens: 0, outputTokens: 0, totalTokens: 0 },
        // A batch request has no latency of its own: the batch's duration is on the stage batch.
        latencyMs: 0, costUsd: result.costUsd ?? 0, providerResponseId: result.providerResponseId, cacheHit: false,
      });
    }, backlog);
    await recordPage();
    if (seen.size < batch.requestCount || status !== StageBatchStatus.Completed) {
      const error: StageError = missingResultError(status, batchError);
      await this.eachLine(BatchInputWriter.key(batch.id), async (line) => {
        const customId = (JSON.parse(line) as { custom_id: string }).custom_id;
        if (seen.has(customId)) return;
        const ref = this.refOf(batch, customId);
        if (!ref) return;
        totals.failed += 1;
        await this.progress.recordFailure({ ...ref, stage: batch.stage, error });
      });
    }
    return { ...totals, costUsd: Number(totals.costUsd.toFixed(10)) };
  }

  private refOf(batch: StageBatchRow, customId: string): ItemWorkRef | null {
    const parsed = parseBatchCustomId(customId);
    if (!parsed || parsed.stage !== batch.stage) {
      this.logger.warn(`stage batch ${batch.id}: ignoring a result with a foreign custom_id "${customId.slice(0, 100)}"`);
      return null;
    }
    return { runId: batch.runId, projectId: batch.projectId, itemId: parsed.itemId, attempt: parsed.attempt };
  }

  /**
   * Streams a JSONL blob line by line, keeping up to PARALLELISM lines in hand at once; the first failure stops it.
   * `backlog` (if it returns a promise) holds the reading until it settles.
   */
  private async eachLine(key: string, handle: (line: string) => Promise<void>, backlog?: () => Promise<unknown> | undefined): Promise<void> {
    const lines = createInterface({ input: (await this.blobs.getStream(key)) as Readable, crlfDelay: Infinity });
    const pending = new Set<Promise<void>>();
    let failure: unknown = null;
    for await (const line of lines) {
      if (failure) break;
      if (!line.trim()) continue;
      const handled: Promise<void> = handle(line).catch((error: unknown) => {
        failure ??= error;
      }).finally(() => pending.delete(handled));
      pending.add(handled);
      if (pending.size >= PARALLELISM) await Promise.race(pending);
      // A failed wait surfaces through the handler that queued the page.
      await backlog?.()?.catch(() => undefined);
    }
    lines.close();
    await Promise.all(pending);
    if (failure) throw failure;
  }
}
