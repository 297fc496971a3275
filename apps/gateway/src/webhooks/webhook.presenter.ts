import { WebhookDeliveryView, WebhookSecretView, WebhookView } from '@yardstick/contracts';

export const presentWebhook = (w: WebhookView) => ({
  id: w.id,
  url: w.url,
  events: w.events,
  status: w.status,
  disabled_reason: w.disabledReason,
  disabled_at: w.disabledAt,
  failing_since: w.failingSince,
  created_at: w.createdAt,
});

/** The secret appears in this answer only. */
export const presentWebhookSecret = (s: WebhookSecretView) => ({
  ...presentWebhook(s.webhook),
  secret: s.secret,
  previous_secret_expires_at: s.previousSecretExpiresAt,
});

export const presentDelivery = (d: WebhookDeliveryView) => ({
  id: d.id,
  event_id: d.eventId,
  event_type: d.eventType,
  status: d.status,
  attempt_count: d.attemptCount,
  next_attempt_at: d.nextAttemptAt,
  created_at: d.createdAt,
  delivered_at: d.deliveredAt,
  attempts: d.attempts.map((a) => ({
    attempt: a.attempt,
    started_at: a.startedAt,
    latency_ms: a.latencyMs,
    response_status: a.responseStatus,
    error: a.error,
    delivered: a.delivered,
  })),
});
