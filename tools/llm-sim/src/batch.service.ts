import { Batch } from './batch';
import { BATCH_ENDPOINTS, COMPLETION_WINDOW } from './batch-endpoints';
import type { BatchFaultPlan } from './batch-fault';
import { BatchProcessor } from './batch.processor';
import { type BatchSettings, scaled } from './batch-settings';
import type { FileStore } from './file-store';
import type { LlmSimState } from './llm-sim.state';
import { OpenAiApiError } from './openai-api.error';
import { asBody, type JsonBody, requiredString } from './request-fields';

const MAX_METADATA_KEYS = 16;

export const batchNotFound = (id: string): OpenAiApiError =>
  new OpenAiApiError(404, `No batch found with id '${id}'.`, 'invalid_request_error', 'batch_not_found', 'batch_id');

function metadataOf(body: JsonBody): Record<string, string> | null {
  const { metadata } = body;
  if (metadata === undefined || metadata === null) return null;
  const invalid = (): OpenAiApiError =>
    OpenAiApiError.invalidRequest(
      `Invalid 'metadata': at most ${MAX_METADATA_KEYS} string values, keys up to 64 and values up to 512 characters.`,
      'metadata',
    );
  if (typeof metadata !== 'object' || Array.isArray(metadata)) throw invalid();
  const entries = Object.entries(metadata);
  if (entries.length > MAX_METADATA_KEYS) throw invalid();
  if (entries.some(([key, value]) => key.length > 64 || typeof value !== 'string' || value.length > 512)) throw invalid();
  return metadata as Record<string, string>;
}

/** The simulator's batches: creation checks, the processors that drive them, cancel, and injected faults. */
export class BatchService {
  private readonly batches = new Map<string, { batch: Batch; processor: BatchProcessor }>();
  private readonly faults: BatchFaultPlan[] = [];
  private readonly closing = new AbortController();

  constructor(
    private readonly store: FileStore,
    private readonly state: LlmSimState,
    public settings: BatchSettings,
  ) {}

  create(rawBody: unknown): Batch {
    const body = asBody(rawBody);
    const inputFileId = requiredString(body, 'input_file_id');
    const endpoint = requiredString(body, 'endpoint');
    const completionWindow = requiredString(body, 'completion_window');
    if (!BATCH_ENDPOINTS.has(endpoint)) {
      const known = [...BATCH_ENDPOINTS.keys()].join(', ');
      throw OpenAiApiError.invalidRequest(`Invalid 'endpoint': llm-sim batches support ${known}.`, 'endpoint');
    }
    if (completionWindow !== COMPLETION_WINDOW) {
      throw OpenAiApiError.invalidRequest(`Invalid 'completion_window': only '${COMPLETION_WINDOW}' is supported.`, 'completion_window');
    }
    const file = this.store.get(inputFileId);
    if (!file) throw OpenAiApiError.invalidRequest(`No such File object: ${inputFileId}`, 'input_file_id', 'file_not_found');
    if (file.purpose !== 'batch') {
      throw OpenAiApiError.invalidRequest(`The file ${inputFileId} has purpose '${file.purpose}'; a batch needs 'batch'.`, 'input_file_id');
    }
    const metadata = metadataOf(body);
    const now = Date.now();
    const expiresAtMs = now + scaled(this.settings, this.settings.completionWindowMs);
    const batch = new Batch({
      endpoint,
      inputFileId,
      completionWindow,
      metadata,
      createdAt: Math.floor(now / 1000),
      expiresAt: Math.floor(expiresAtMs / 1000),
    });
    const processor = new BatchProcessor(batch, expiresAtMs, this.faults.shift(), {
      store: this.store,
      state: this.state,
      settings: () => this.settings,
      closing: this.closing.signal,
    });
    this.batches.set(batch.id, { batch, processor });
    processor.run().catch((error: unknown) => console.error(`llm-sim: batch ${batch.id} failed unexpectedly`, error));
    return batch;
  }

  get(id: string): Batch {
    const entry = this.batches.get(id);
    if (!entry) throw batchNotFound(id);
    return entry.batch;
  }

  /** Newest first. */
  list(): Batch[] {
    return [...this.batches.values()].map(({ batch }) => batch).reverse();
  }

  /** Moves a validating or in-progress batch to `cancelling`; repeating a cancel is harmless. */
  cancel(id: string): Batch {
    const entry = this.batches.get(id);
    if (!entry) throw batchNotFound(id);
    const { batch, processor } = entry;
    if (batch.status === 'validating' || batch.status === 'in_progress') {
      batch.moveTo('cancelling');
      processor.cancel();
    } else if (batch.status !== 'cancelling' && batch.status !== 'cancelled') {
      throw new OpenAiApiError(409, `Cannot cancel a batch with status '${batch.status}'.`, 'invalid_request_error', 'batch_not_cancellable');
    }
    return batch;
  }

  /** Queues a fault for the next batch created. */
  addFault(plan: BatchFaultPlan): void {
    this.faults.push(plan);
  }

  pendingFaults(): readonly BatchFaultPlan[] {
    return this.faults;
  }

  clearFaults(): void {
    this.faults.length = 0;
  }

  close(): void {
    this.closing.abort();
  }
}
