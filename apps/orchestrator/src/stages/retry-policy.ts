import { StageError } from '@yardstick/contracts';

export interface RetryPolicyOptions {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/**
 * When to try a failed item again, or null for a permanent error. Exponential backoff with "equal jitter" (half the
 * ceiling plus a random half), never sooner than the provider's Retry-After. Whether attempts are left is decided
 * in Postgres, against the item's retry budget (ItemStageRepository.fail). `attempt` counts within that budget
 * (attempt − retry_base, ItemStageRepository.ownAttempt): each pipeline step, and a resumed stage, backs off from 1 again.
 */
export function nextAttemptAt(error: StageError, attempt: number, options: RetryPolicyOptions, now = Date.now(), random = Math.random): Date | null {
  if (!error.retryable) return null;
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
  const backoff = Math.round(ceiling / 2 + (random() * ceiling) / 2);
  return new Date(now + Math.max(backoff, error.retryAfterMs ?? 0));
}
