/** Limits of one provider endpoint and model, shared by every llm-caller replica. Absent or non-positive: no limit. */
export interface RateLimits {
  requestsPerMinute?: number;
  tokensPerMinute?: number;
  /** Calls in flight at once across all replicas. */
  maxConcurrency?: number;
}

/** The right to make one provider call; release it when the call is over, whatever its outcome. */
export interface RateLimitPermit {
  /** `actualTokens` (the call's usage) replaces the estimate the permit charged to the tokens-per-minute budget. */
  release(actualTokens?: number): Promise<void>;
}

export interface RateLimiterLogger {
  warn(message: string): void;
}

/** Which limit made a caller wait: the longest of those that applied. */
export type RateLimitReason = 'blocked' | 'provider_requests' | 'provider_tokens' | 'requests' | 'tokens' | 'concurrency';
