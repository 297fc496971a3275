import { RateLimitReason } from './rate-limits';

export enum RateLimitErrorCode {
  WaitExceeded = 'rate_limit_wait_exceeded',
}

/**
 * The call could not go within the limiter's longest wait: the provider's limits are saturated or it asked for a
 * pause longer than that. Transient: the platform retries the item later.
 */
export class RateLimitWaitExceeded extends Error {
  readonly code = RateLimitErrorCode.WaitExceeded;

  constructor(
    readonly key: string,
    /** The limit still in the way, or undefined when the caller's turn in this replica did not come. */
    readonly reason: RateLimitReason | undefined,
    /** How long the limit still asked to wait, when known. */
    readonly retryAfterMs: number | undefined,
    readonly maxWaitMs: number,
  ) {
    super(`rate limit of ${key} would keep the call waiting longer than ${maxWaitMs} ms (${reason ?? 'queued in this replica'})`);
    this.name = RateLimitWaitExceeded.name;
  }
}
