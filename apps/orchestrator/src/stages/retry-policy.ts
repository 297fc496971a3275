import { StageError } from '@yardstick/contracts';

export interface RetryPolicyOptions {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/**
 * When to try a failed item again, or null when it must fail for good: a permanent error,
 * or the last allowed attempt. Exponential backoff with full jitter, never sooner than the provider's Retry-After.
 */
export function nextAttemptAt(error: StageError, attempt: number, options: RetryPolicyOptions, now = Date.now(), random = Math.random): Date | null {
  if (!error.retryable || attempt >= options.maxAttempts) return null;
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
  const backoff = Math.round(ceiling / 2 + (random() * ceiling) / 2);
  return new Date(now + Math.max(backoff, error.retryAfterMs ?? 0));
}
