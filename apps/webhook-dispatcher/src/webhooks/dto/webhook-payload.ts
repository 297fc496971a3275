import { PayloadOf, WebhookEvent } from '@yardstick/contracts';

/**
 * The JSON body POSTed to a webhook: a public contract, snake_case like the REST API.
 * `id` is the event's envelope id (also the `webhook-id` header): the same on every retry, so receivers can deduplicate.
 */
export interface WebhookPayload {
  id: string;
  type: WebhookEvent;
  occurred_at: string;
  data: Record<string, unknown>;
}

/** One received event a webhook may be sent: its envelope id and time, its subject and its payload (run or experiment). */
export interface WebhookEventOccurrence<S extends WebhookEvent = WebhookEvent> {
  eventId: string;
  subject: S;
  occurredAt: string;
  event: PayloadOf<S>;
}

export function buildWebhookPayload({ eventId, subject, occurredAt, event }: WebhookEventOccurrence): WebhookPayload {
  return { id: eventId, type: subject, occurred_at: occurredAt, data: toSnakeCaseKeys(event) as Record<string, unknown> };
}

/** Renames every object key, at every depth, from camelCase to snake_case; values are left as they are. */
export function toSnakeCaseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toSnakeCaseKeys);
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [snakeCase(key), toSnakeCaseKeys(inner)]));
}

/** `totalCostUsd` → `total_cost_usd`, `httpURL` → `http_url`, `already_snake` unchanged. */
export function snakeCase(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}
