import { Inject, Injectable } from '@nestjs/common';
import { BLOB_STORE, BlobStore, putStreamed } from '@yardstick/blob-store';
import { Stage } from '@yardstick/contracts';
import { renderPromptTemplate } from '@yardstick/prompting';
import { ItemProgressService } from '../stages/item-progress.service';
import { pipelineOf } from '../stages/pipeline';
import { embeddingsRequestLine, responsesRequestLine } from './batch-request-line';
import { BatchSettings } from './batch-settings';
import { StageBatchRow } from './stage-batch';
import { StageBatchesRepository } from './stage-batches.repository';

const PAGE = 1_000;
/** Texts one embeddings batch may hold (OpenAI's limit for /v1/embeddings batches; llm-sim enforces it too). */
const EMBEDDING_INPUTS_PER_BATCH = 50_000;
const OVER_LIMIT = '';

/**
 * Writes a stage batch's JSONL input to the blob store as a stream, page by page from Postgres. Rows past the byte
 * limit go back to pending (the next batch takes them); an item whose template cannot render fails like on the fast path.
 */
@Injectable()
export class BatchInputWriter {
  constructor(
    private readonly batches: StageBatchesRepository,
    private readonly progress: ItemProgressService,
    private readonly settings: BatchSettings,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
  ) {}

  static key(batchId: string): string {
    return `batches/${batchId}/input.jsonl`;
  }

  /** Returns the blob key and how many requests it holds. */
  async write(batch: StageBatchRow): Promise<{ key: string; requests: number }> {
    if (batch.stage === Stage.Embeddings) {
      let inputs = 0;
      return this.writeLines(batch, (after) => this.batches.embeddingsInputRows(batch.id, after, PAGE), async (row) => {
        const texts = row.groundTruth === null ? [row.output] : [row.output, row.groundTruth];
        inputs += texts.length;
        if (inputs > EMBEDDING_INPUTS_PER_BATCH) return OVER_LIMIT;
        return embeddingsRequestLine({ itemId: row.itemId, attempt: row.attempt, model: batch.model, texts });
      }, (fromItemId) => this.batches.splitFrom(batch, fromItemId));
    }
    const step = pipelineOf(batch.config)[0];
    return this.writeLines(batch, (after) => this.batches.inputRows(batch.id, after, PAGE), async (row) => {
      let input: string;
      try {
        input = renderPromptTemplate(step.promptTemplate, { question: row.question, category: row.category ?? '', stages: {} });
      } catch (error) {
        await this.progress.recordFailure({
          runId: batch.runId, projectId: batch.projectId, itemId: row.itemId, attempt: row.attempt, stage: Stage.Responses,
          error: { code: 'template_error', message: `pipeline step 0: ${(error as Error).message}`.slice(0, 2000), retryable: false },
        });
        return null;
      }
      return responsesRequestLine({ itemId: row.itemId, attempt: row.attempt, model: step.model, instructions: step.instructions, input, params: step.params ?? {} });
    }, async (fromItemId) => {
      await this.batches.releaseFrom(batch.id, fromItemId);
    });
  }

  /**
   * Streams the lines of the batch's rows (`lineOf` null: the row failed and is left out) up to the byte limit or
   * until `lineOf` says OVER_LIMIT; `overflow` then takes the rows from that one on (the next batch's).
   */
  private async writeLines<Row extends { itemId: string }>(
    batch: StageBatchRow, page: (afterItemId: string) => Promise<Row[]>, lineOf: (row: Row) => Promise<string | null>,
    overflow: (fromItemId: string) => Promise<void>,
  ): Promise<{ key: string; requests: number }> {
    const key = BatchInputWriter.key(batch.id);
    let requests = 0;
    let bytes = 0;
    await putStreamed(this.blobs, key, async (write) => {
      for (let after = '00000000-0000-0000-0000-000000000000'; ;) {
        const rows = await page(after);
        let full = false;
        for (const row of rows) {
          const line = await lineOf(row);
          if (line === null) continue;
          const size = Buffer.byteLength(line);
          if (line === OVER_LIMIT || bytes + size > this.settings.maxBytes) {
            await overflow(row.itemId);
            full = true;
            break;
          }
          bytes += size;
          requests += 1;
          await write(line);
        }
        if (full || rows.length < PAGE) break;
        after = rows[rows.length - 1].itemId;
      }
    }, { contentType: 'application/x-ndjson' });
    return { key, requests };
  }
}
