import { RunConfigSnapshot, Stage } from '@yardstick/contracts';

/** `stage_batches.status`: the platform's side of one provider batch. */
export enum StageBatchStatus {
  /** Claimed (row inserted, items claimed); the input is being written and submitted. */
  Preparing = 'preparing',
  /** The provider batch exists (its id is recorded); the poller follows it. */
  Submitted = 'submitted',
  /** The provider batch ended; its results are being recorded. */
  Collecting = 'collecting',
  Completed = 'completed',
  Failed = 'failed',
  Expired = 'expired',
  Cancelled = 'cancelled',
  /** The endpoint has no Batch API: the items went back to the fast path. */
  Unsupported = 'unsupported',
}

export const OPEN_STAGE_BATCH_STATUSES = [StageBatchStatus.Preparing, StageBatchStatus.Submitted, StageBatchStatus.Collecting];

export interface StageBatchRow {
  id: string;
  runId: string;
  projectId: string;
  /** `responses`, or `embeddings` (a batch fed by a responses batch's succeeded items, or their follow-up). */
  stage: Stage;
  sequence: number;
  attempt: number;
  status: StageBatchStatus;
  providerBatchId: string | null;
  model: string;
  endpointId: string | null;
  inputBlobKey: string | null;
  outputFileId: string | null;
  errorFileId: string | null;
  providerStatus: string | null;
  /** When the provider batch was created (null while preparing). */
  submittedAt: Date | null;
  requestCount: number;
  polls: number;
  /** The run's status now: a batch of a run that ended is not followed any further. */
  runStatus: string;
  /** The run's config: the batch's requests are rendered from it. */
  config: RunConfigSnapshot;
}

/** The `completion_window` every provider batch is created with: after it, the provider expires the batch by itself. */
export const PROVIDER_COMPLETION_WINDOW_MS = 24 * 60 * 60 * 1000;

/** Provider statuses after which a batch changes no more (OpenAI Batch API). */
const ENDED: Record<string, StageBatchStatus> = {
  completed: StageBatchStatus.Completed,
  failed: StageBatchStatus.Failed,
  expired: StageBatchStatus.Expired,
  cancelled: StageBatchStatus.Cancelled,
};

/** The final status of a stage batch whose provider batch has this status, or null while the provider is still working. */
export function endedStatus(providerStatus: string): StageBatchStatus | null {
  return ENDED[providerStatus] ?? null;
}

/** The wait before the next poll: `minMs`, growing 1.5x per poll already made, at most `maxMs` (seconds to minutes). */
export function nextPollDelayMs(polls: number, minMs: number, maxMs: number): number {
  return Math.round(Math.min(maxMs, minMs * 1.5 ** Math.max(0, polls)));
}

/**
 * The stage error recorded for a request that got no result line at all: its batch failed validation (resubmitting
 * the same input would fail again: permanent) or was cancelled before running it (retryable).
 */
export function missingResultError(status: StageBatchStatus, batchError: string | null): { code: string; message: string; retryable: boolean } {
  if (status === StageBatchStatus.Failed) {
    return { code: 'batch_failed', message: `the provider rejected the batch${batchError ? `: ${batchError}` : ''}`.slice(0, 2000), retryable: false };
  }
  return { code: `batch_${status}`, message: `the provider batch ended (${status}) before this request ran`, retryable: true };
}
