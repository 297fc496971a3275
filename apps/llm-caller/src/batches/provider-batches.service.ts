import { Inject, Injectable, Logger } from '@nestjs/common';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import OpenAI from 'openai';
import { toStreamingFile } from 'openai/uploads';
import { BLOB_STORE, BlobStore, putStreamed } from '@yardstick/blob-store';
import {
  CancelledStageBatchView, CollectedStageBatchView, CollectStageBatchRequest, ProviderBatchView, StageBatchRequest, SubmitStageBatchRequest,
  SubmittedStageBatchView,
} from '@yardstick/contracts';
import { EndpointResolver } from '../providers/endpoint.resolver';
import { parseBatchResultLine } from './batch-result.parser';

/** The metadata key that ties a provider batch to its `stage_batches` row, so a restart finds it instead of creating another. */
export const STAGE_BATCH_METADATA_KEY = 'yardstick_stage_batch_id';
/** How many of the provider's newest batches are searched for one created before a crash. */
const RECOVERY_SCAN_LIMIT = 2_000;
/** Provider statuses of a batch that runs no more requests: a cancel has nothing left to stop. */
const NOTHING_TO_STOP = new Set(['finalizing', 'completed', 'failed', 'expired', 'cancelling', 'cancelled']);

/**
 * llm-caller's side of batch mode: every Batch API call (it owns the SDK clients and keys). The JSONL input and the
 * normalized results travel through the blob store, streamed, so neither a message nor this process holds a whole file.
 */
@Injectable()
export class ProviderBatchesService {
  private readonly logger = new Logger(ProviderBatchesService.name);

  constructor(
    private readonly endpoints: EndpointResolver,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
  ) {}

  async submit(request: SubmitStageBatchRequest): Promise<SubmittedStageBatchView> {
    const endpoint = await this.endpoints.resolve(request.projectId, request.endpointId);
    if (!endpoint.supportsBatch) return { supported: false, providerBatchId: null, inputFileId: null, recovered: false };
    const existing = await this.findCreated(endpoint.client, request.stageBatchId);
    if (existing) return { supported: true, providerBatchId: existing.id, inputFileId: existing.input_file_id, recovered: true };
    const input = await this.blobs.getStream(request.inputBlobKey);
    const file = await endpoint.client.files.create({ file: toStreamingFile(input, `${request.stageBatchId}.jsonl`), purpose: 'batch' });
    const batch = await endpoint.client.batches.create({
      input_file_id: file.id, endpoint: request.endpoint, completion_window: '24h',
      metadata: { [STAGE_BATCH_METADATA_KEY]: request.stageBatchId },
    });
    this.logger.log(`stage batch ${request.stageBatchId} submitted as ${batch.id}`);
    return { supported: true, providerBatchId: batch.id, inputFileId: file.id, recovered: false };
  }

  async poll(request: StageBatchRequest): Promise<ProviderBatchView> {
    const endpoint = await this.endpoints.resolve(request.projectId, request.endpointId);
    const batch = await endpoint.client.batches.retrieve(request.providerBatchId);
    return {
      status: batch.status,
      outputFileId: batch.output_file_id ?? null,
      errorFileId: batch.error_file_id ?? null,
      requestCounts: {
        total: batch.request_counts?.total ?? 0, completed: batch.request_counts?.completed ?? 0, failed: batch.request_counts?.failed ?? 0,
      },
      errors: batch.errors?.data?.length
        ? batch.errors.data.slice(0, 5).map((e) => `${e.code ?? 'error'}${e.line ? ` (line ${e.line})` : ''}: ${e.message ?? ''}`).join('; ').slice(0, 2000)
        : null,
    };
  }

  /**
   * Stops a batch whose run ended, so its remaining requests are not run (nor billed). The provider refuses (4xx) to
   * cancel a batch that has already ended: that is no error, its status is the answer. Repeating a cancel is harmless.
   */
  async cancel(request: StageBatchRequest): Promise<CancelledStageBatchView> {
    const endpoint = await this.endpoints.resolve(request.projectId, request.endpointId);
    try {
      const batch = await endpoint.client.batches.cancel(request.providerBatchId);
      this.logger.log(`stage batch ${request.stageBatchId}: provider batch ${request.providerBatchId} ${batch.status}`);
      return { status: batch.status };
    } catch (error) {
      if (!(error instanceof OpenAI.APIError) || !error.status || error.status < 400 || error.status >= 500) throw error;
      // A 4xx that is not about the batch's state (429, 401) leaves it running: the caller asks again later.
      const { status } = await endpoint.client.batches.retrieve(request.providerBatchId);
      if (!NOTHING_TO_STOP.has(status)) throw error;
      return { status };
    }
  }

  /** Streams the output and error files into one normalized results blob, a line per request, priced at batch prices. */
  async collect(request: CollectStageBatchRequest): Promise<CollectedStageBatchView> {
    const endpoint = await this.endpoints.resolve(request.projectId, request.endpointId);
    const counts = { succeeded: 0, failed: 0 };
    await putStreamed(this.blobs, request.resultsBlobKey, async (write) => {
      for (const fileId of [request.outputFileId, request.errorFileId]) {
        if (!fileId) continue;
        const content = await endpoint.client.files.content(fileId);
        if (!content.body) continue;
        const lines = createInterface({ input: Readable.fromWeb(content.body as import('node:stream/web').ReadableStream), crlfDelay: Infinity });
        for await (const line of lines) {
          if (!line.trim()) continue;
          const result = parseBatchResultLine(line, request.model, endpoint.prices);
          if (result.error) counts.failed += 1;
          else counts.succeeded += 1;
          await write(`${JSON.stringify(result)}\n`);
        }
      }
    }, { contentType: 'application/x-ndjson' });
    return counts;
  }

  /** A batch created for this stage batch before a crash, found by its metadata among the provider's newest batches. */
  private async findCreated(client: OpenAI, stageBatchId: string): Promise<OpenAI.Batches.Batch | null> {
    let seen = 0;
    for await (const batch of client.batches.list({ limit: 100 })) {
      if (batch.metadata?.[STAGE_BATCH_METADATA_KEY] === stageBatchId) return batch;
      if (++seen >= RECOVERY_SCAN_LIMIT) break;
    }
    return null;
  }
}
