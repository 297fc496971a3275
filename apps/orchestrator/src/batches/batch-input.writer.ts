import { Inject, Injectable } from '@nestjs/common';
import { PassThrough } from 'node:stream';
import { BLOB_STORE, BlobStore } from '@yardstick/blob-store';
import { Stage } from '@yardstick/contracts';
import { renderPromptTemplate } from '@yardstick/prompting';
import { ItemProgressService } from '../stages/item-progress.service';
import { pipelineOf } from '../stages/pipeline';
import { responsesRequestLine } from './batch-request-line';
import { BatchSettings } from './batch-settings';
import { StageBatchRow } from './stage-batch';
import { StageBatchesRepository } from './stage-batches.repository';

const PAGE = 1_000;

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
    const step = pipelineOf(batch.config)[0];
    const key = BatchInputWriter.key(batch.id);
    const out = new PassThrough();
    const stored = this.blobs.put(key, out, { contentType: 'application/x-ndjson' });
    let requests = 0;
    let bytes = 0;
    try {
      for (let after = '00000000-0000-0000-0000-000000000000'; ;) {
        const rows = await this.batches.inputRows(batch.id, after, PAGE);
        let full = false;
        for (const row of rows) {
          let input: string;
          try {
            input = renderPromptTemplate(step.promptTemplate, { question: row.question, category: row.category ?? '', stages: {} });
          } catch (error) {
            await this.progress.recordFailure({
              runId: batch.runId, projectId: batch.projectId, itemId: row.itemId, attempt: row.attempt, stage: Stage.Responses,
              error: { code: 'template_error', message: `pipeline step 0: ${(error as Error).message}`.slice(0, 2000), retryable: false },
            });
            continue;
          }
          const line = responsesRequestLine({ itemId: row.itemId, attempt: row.attempt, model: step.model, instructions: step.instructions, input, params: step.params ?? {} });
          const size = Buffer.byteLength(line);
          if (bytes + size > this.settings.maxBytes) {
            await this.batches.releaseFrom(batch.id, row.itemId);
            full = true;
            break;
          }
          bytes += size;
          requests += 1;
          if (!out.write(line)) await new Promise((resolve) => out.once('drain', resolve));
        }
        if (full || rows.length < PAGE) break;
        after = rows[rows.length - 1].itemId;
      }
      out.end();
    } catch (error) {
      out.destroy(error as Error);
      await stored.catch(() => undefined);
      throw error;
    }
    await stored;
    return { key, requests };
  }
}
