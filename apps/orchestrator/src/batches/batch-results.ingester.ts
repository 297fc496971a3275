import { Inject, Injectable, Logger } from '@nestjs/common';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { BLOB_STORE, BlobStore } from '@yardstick/blob-store';
import { BatchResultLine, Stage, StageError } from '@yardstick/contracts';
import { ItemProgressService } from '../stages/item-progress.service';
import { parseBatchCustomId } from './batch-request-line';
import { BatchInputWriter } from './batch-input.writer';
import { missingResultError, StageBatchRow, StageBatchStatus } from './stage-batch';

/** Results recorded at once: each is a few statements; more would crowd the connection pool. */
const PARALLELISM = 32;

export interface IngestedBatch {
  succeeded: number;
  failed: number;
  costUsd: number;
}

/**
 * Records a collected batch's results through the same per-item path as the fast path (ItemProgressService): each
 * result is a compare-and-set on the item's in-flight attempt, so recording again after a crash changes nothing, and
 * the next stage (embeddings, then scoring) follows per item. Requests that got no line at all fail as `missingResultError`.
 */
@Injectable()
export class BatchResultsIngester {
  private readonly logger = new Logger(BatchResultsIngester.name);

  constructor(
    private readonly progress: ItemProgressService,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
  ) {}

  async ingest(batch: StageBatchRow, resultsKey: string, status: StageBatchStatus, batchError: string | null): Promise<IngestedBatch> {
    const seen = new Set<string>();
    const totals: IngestedBatch = { succeeded: 0, failed: 0, costUsd: 0 };
    await this.eachLine(resultsKey, async (line) => {
      const result = JSON.parse(line) as BatchResultLine;
      seen.add(result.customId);
      const ref = this.refOf(batch, result.customId);
      if (!ref) return;
      if (result.error) {
        totals.failed += 1;
        await this.progress.recordFailure({ ...ref, stage: Stage.Responses, error: result.error });
        return;
      }
      totals.succeeded += 1;
      totals.costUsd += result.costUsd ?? 0;
      await this.progress.recordResponse({
        ...ref, model: result.model ?? batch.model, output: result.output ?? '',
        usage: result.usage ?? { inputTokens: 0, outputTokens: 0, totalTokens: 0 },
        // A batch request has no latency of its own: the batch's duration is on the stage batch.
        latencyMs: 0, costUsd: result.costUsd ?? 0, providerResponseId: result.providerResponseId, cacheHit: false,
      });
    });
    if (seen.size < batch.requestCount || status !== StageBatchStatus.Completed) {
      const error: StageError = missingResultError(status, batchError);
      await this.eachLine(BatchInputWriter.key(batch.id), async (line) => {
        const customId = (JSON.parse(line) as { custom_id: string }).custom_id;
        if (seen.has(customId)) return;
        const ref = this.refOf(batch, customId);
        if (!ref) return;
        totals.failed += 1;
        await this.progress.recordFailure({ ...ref, stage: Stage.Responses, error });
      });
    }
    return { ...totals, costUsd: Number(totals.costUsd.toFixed(10)) };
  }

  private refOf(batch: StageBatchRow, customId: string) {
    const parsed = parseBatchCustomId(customId);
    if (!parsed || parsed.stage !== Stage.Responses) {
      this.logger.warn(`stage batch ${batch.id}: ignoring a result with a foreign custom_id "${customId.slice(0, 100)}"`);
      return null;
    }
    return { runId: batch.runId, projectId: batch.projectId, itemId: parsed.itemId, attempt: parsed.attempt };
  }

  /** Streams a JSONL blob line by line, keeping up to PARALLELISM lines in hand at once; the first failure stops it. */
  private async eachLine(key: string, handle: (line: string) => Promise<void>): Promise<void> {
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
    }
    lines.close();
    await Promise.all(pending);
    if (failure) throw failure;
  }
}
