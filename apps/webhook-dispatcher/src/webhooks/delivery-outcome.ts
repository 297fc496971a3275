/** What one POST came to. */
export type DeliveryOutcome =
  | { kind: 'delivered'; responseStatus: number }
  /** 410 Gone: the receiver asks us to stop; the subscription is disabled. */
  | { kind: 'gone'; responseStatus: 410; error: string }
  /** Anything else: tried again on the retry schedule, not before `retryAfterMs` when the receiver asked. */
  | { kind: 'failed'; responseStatus: number | null; error: string; retryAfterMs?: number };

/** Longest Retry-After we honour; a receiver asking for more is tried again after this long. */
const MAX_RETRY_AFTER_MS = 24 * 3600_000;

/**
 * Classifies a receiver's answer: 2xx delivered; 410 gone; anything else (including 3xx — redirects are not
 * followed —, other 4xx and 5xx) failed and retried. 429 and 503 may set the earliest retry with Retry-After.
 */
export function outcomeOfResponse(responseStatus: number, retryAfter: string | null = null, now = Date.now()): DeliveryOutcome {
  if (responseStatus >= 200 && responseStatus < 300) return { kind: 'delivered', responseStatus };
  if (responseStatus === 410) return { kind: 'gone', responseStatus, error: 'receiver answered HTTP 410 Gone' };
  const retryAfterMs = responseStatus === 429 || responseStatus === 503 ? parseRetryAfter(retryAfter, now) : undefined;
  return {
    kind: 'failed',
    responseStatus,
    error: `receiver answered HTTP ${responseStatus}`,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  };
}

/**
 * A Retry-After header (delay in seconds or an HTTP date) in milliseconds from now, at most a day. Undefined —
 * use the retry schedule — when absent, invalid, or zero/past.
 */
export function parseRetryAfter(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  const ms = /^\d+$/.test(trimmed) ? Number(trimmed) * 1_000 : Date.parse(trimmed) - now;
  if (!Number.isFinite(ms) || ms <= 0) return undefined;
  return Math.min(ms, MAX_RETRY_AFTER_MS);
}
