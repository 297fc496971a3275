import { IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';

/** The provider endpoint a batch request line goes to (OpenAI Batch API `endpoint`). */
export const BATCH_ENDPOINTS = ['/v1/responses', '/v1/embeddings'] as const;
export type BatchEndpoint = (typeof BATCH_ENDPOINTS)[number];

/**
 * Submit one stage batch (the orchestrator's `stage_batches` row) to the provider. The JSONL input was written by the
 * orchestrator to the blob store under `inputBlobKey`; llm-caller streams it to the provider's Files API and creates
 * the batch with metadata `{ yardstick_stage_batch_id }`. Idempotent: a batch already created for this id (found by
 * its metadata) is returned instead of a second one.
 */
export class SubmitStageBatchRequest {
  @IsUUID() projectId!: string;
  @IsOptional() @IsUUID() endpointId?: string;
  @IsUUID() stageBatchId!: string;
  @IsString() @IsNotEmpty() @MaxLength(1000) inputBlobKey!: string;
  @IsIn(BATCH_ENDPOINTS) endpoint!: BatchEndpoint;
}

export interface SubmittedStageBatchView {
  /** false when the endpoint has no Batch API (`supports_batch` off): nothing was created. */
  supported: boolean;
  providerBatchId: string | null;
  inputFileId: string | null;
  /** true when the batch already existed at the provider (found by its metadata after a restart). */
  recovered: boolean;
}

export class StageBatchRequest {
  @IsUUID() projectId!: string;
  @IsOptional() @IsUUID() endpointId?: string;
  @IsUUID() stageBatchId!: string;
  @IsString() @IsNotEmpty() @MaxLength(200) providerBatchId!: string;
}

/** The provider's view of a batch (`GET /v1/batches/{id}`). */
export interface ProviderBatchView {
  /** `validating`, `in_progress`, `finalizing`, `completed`, `failed`, `expired`, `cancelling`, `cancelled`. */
  status: string;
  outputFileId: string | null;
  errorFileId: string | null;
  requestCounts: { total: number; completed: number; failed: number };
  /** The batch's own errors (validation failures), joined. */
  errors: string | null;
}

/**
 * The provider's status once asked to cancel a batch (`POST /v1/batches/{id}/cancel`): `cancelling` (or `cancelled`),
 * or, for a batch that could no longer be stopped, the status it had reached (`finalizing`, `completed`, `failed`, `expired`).
 */
export interface CancelledStageBatchView {
  status: string;
}

/**
 * Stream the ended batch's output and error files line by line, price each result at batch prices and write one
 * normalized line per request (`BatchResultLine`) to the blob store under `resultsBlobKey`.
 */
export class CollectStageBatchRequest extends StageBatchRequest {
  @IsString() @IsNotEmpty() @MaxLength(1000) resultsBlobKey!: string;
  @IsOptional() @IsString() outputFileId?: string;
  @IsOptional() @IsString() errorFileId?: string;
  /** The model the requests asked for: results are priced at its batch price. */
  @IsString() @IsNotEmpty() model!: string;
}

export interface CollectedStageBatchView {
  succeeded: number;
  failed: number;
}

/** One line of a collected results blob, keyed by the request's `custom_id`. */
export interface BatchResultLine {
  customId: string;
  output?: string;
  model?: string;
  usage?: { inputTokens: number; outputTokens: number; totalTokens: number };
  costUsd?: number;
  providerResponseId?: string;
  /**
   * An embeddings request's vectors, in the order of its `input` texts, as base64 of little-endian float32 (the Batch
   * API's own encoding, passed through: 100,000 items' vectors are 51 million floats not worth turning into JSON).
   */
  embeddings?: string[];
  error?: { code: string; message: string; retryable: boolean; httpStatus?: number };
}
