import { newId } from './completion-answer';
import { type BatchStatus, canTransition, STATUS_TIMESTAMP } from './batch-status';

/** One validation failure, as in OpenAI's `errors.data[]`. */
export interface BatchValidationError {
  code: string;
  message: string;
  param: string | null;
  line: number | null;
}

export interface BatchUsage {
  inputTokens: number;
  outputTokens: number;
}

export interface NewBatch {
  endpoint: string;
  inputFileId: string;
  completionWindow: string;
  metadata: Record<string, string> | null;
  /** Unix seconds. */
  createdAt: number;
  expiresAt: number;
}

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** A batch's record: status with its timestamps, counts and result files. Only `moveTo` changes the status. */
export class Batch {
  readonly id = newId('batch_', 16);
  private currentStatus: BatchStatus = 'validating';
  private readonly timestamps = new Map<string, number>();
  model: string | null = null;
  total = 0;
  completed = 0;
  failed = 0;
  readonly usage: BatchUsage = { inputTokens: 0, outputTokens: 0 };
  outputFileId: string | null = null;
  errorFileId: string | null = null;
  errors: BatchValidationError[] | null = null;

  constructor(readonly spec: NewBatch) {}

  get status(): BatchStatus {
    return this.currentStatus;
  }

  /** Moves to `to` and stamps its timestamp; an illegal move throws, as it would be a bug in the processor. */
  moveTo(to: BatchStatus, at = nowSeconds()): void {
    if (!canTransition(this.currentStatus, to)) {
      throw new Error(`batch ${this.id}: cannot go from ${this.currentStatus} to ${to}`);
    }
    this.currentStatus = to;
    this.timestamps.set(STATUS_TIMESTAMP[to as Exclude<BatchStatus, 'validating'>], at);
  }

  toJson(): Record<string, unknown> {
    const stamp = (field: string): number | null => this.timestamps.get(field) ?? null;
    const tokens = this.usage.inputTokens + this.usage.outputTokens;
    return {
      id: this.id,
      object: 'batch',
      endpoint: this.spec.endpoint,
      model: this.model,
      errors: this.errors === null ? null : { object: 'list', data: this.errors },
      input_file_id: this.spec.inputFileId,
      completion_window: this.spec.completionWindow,
      status: this.currentStatus,
      output_file_id: this.outputFileId,
      error_file_id: this.errorFileId,
      created_at: this.spec.createdAt,
      in_progress_at: stamp('in_progress_at'),
      expires_at: this.spec.expiresAt,
      finalizing_at: stamp('finalizing_at'),
      completed_at: stamp('completed_at'),
      failed_at: stamp('failed_at'),
      expired_at: stamp('expired_at'),
      cancelling_at: stamp('cancelling_at'),
      cancelled_at: stamp('cancelled_at'),
      request_counts: { total: this.total, completed: this.completed, failed: this.failed },
      usage: {
        input_tokens: this.usage.inputTokens,
        input_tokens_details: { cached_tokens: 0 },
        output_tokens: this.usage.outputTokens,
        output_tokens_details: { reasoning_tokens: 0 },
        total_tokens: tokens,
      },
      metadata: this.spec.metadata,
    };
  }
}
