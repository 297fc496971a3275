import { WebhookDeliveryStatus } from './webhook-delivery.entity';

/** What happened to one POST. `retryable` failures (network, timeout, 5xx, 429) are tried again with the message's redelivery. */
export type DeliveryOutcome =
  | { status: WebhookDeliveryStatus.Delivered; responseStatus: number }
  | { status: WebhookDeliveryStatus.Failed; responseStatus: number | null; error: string; retryable: boolean; retryAfterMs?: number };

/** Longest Retry-After we honour; a receiver asking for more gets the bus's normal backoff cap instead. */
const MAX_RETRY_AFTER_MS = 10 * 60_000;

/**
 * Classifies a receiver's answer: 2xx delivered; 429 and 5xx retryable; anything else (3xx — redirects are
 * not followed —, other 4xx) failed for good: the receiver rejected this request and would reject it again.
 */
export function outcomeOfResponse(responseStatus: number, retryAfter: string | null = null, now = Date.now()): DeliveryOutcome {
  if (responseStatus >= 200 && responseStatus < 300) return { status: WebhookDeliveryStatus.Delivered, responseStatus };
  const retryable = responseStatus === 429 || (responseStatus >= 500 && responseStatus < 600);
  const retryAfterMs = retryable ? parseRetryAfter(retryAfter, now) : undefined;
  return {
    status: WebhookDeliveryStatus.Failed,
    responseStatus,
    error: `receiver answered HTTP ${responseStatus}`,
    retryable,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  };
}

/**
 * A Retry-After header (delay in seconds or an HTTP date) in milliseconds from now. Undefined — use the bus's
 * exponential backoff — when absent, invalid, too far away, or zero/past (which would redeliver at once, in a tight loop).
 */
export function parseRetryAfter(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  const ms = /^\d+$/.test(trimmed) ? Number(trimmed) * 1_000 : Date.parse(trimmed) - now;
  if (!Number.isFinite(ms)) return undefined;
  return ms > 0 && ms <= MAX_RETRY_AFTER_MS ? ms : undefined;
}
