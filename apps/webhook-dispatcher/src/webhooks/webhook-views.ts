import { WebhookAttemptView, WebhookDeliveryView, WebhookView } from '@yardstick/contracts';
import { WebhookAttemptEntity } from './webhook-attempt.entity';
import { WebhookDeliveryEntity } from './webhook-delivery.entity';
import { WebhookSubscriptionEntity } from './webhook-subscription.entity';

export function toWebhookView(subscription: WebhookSubscriptionEntity): WebhookView {
  return {
    id: subscription.id,
    projectId: subscription.projectId,
    url: subscription.url,
    events: subscription.events,
    status: subscription.status,
    disabledReason: subscription.disabledReason,
    disabledAt: subscription.disabledAt?.toISOString() ?? null,
    failingSince: subscription.failingSince?.toISOString() ?? null,
    createdAt: subscription.createdAt.toISOString(),
  };
}

export function toAttemptView(attempt: WebhookAttemptEntity): WebhookAttemptView {
  return {
    attempt: attempt.attempt,
    startedAt: attempt.startedAt.toISOString(),
    latencyMs: attempt.latencyMs,
    responseStatus: attempt.responseStatus,
    error: attempt.error,
    delivered: attempt.delivered,
  };
}

export function toDeliveryView(delivery: WebhookDeliveryEntity, attempts: WebhookAttemptEntity[]): WebhookDeliveryView {
  return {
    id: delivery.id,
    eventId: delivery.eventId,
    eventType: delivery.subject,
    status: delivery.status,
    attemptCount: delivery.attemptCount,
    nextAttemptAt: delivery.nextAttemptAt?.toISOString() ?? null,
    createdAt: delivery.createdAt.toISOString(),
    deliveredAt: delivery.deliveredAt?.toISOString() ?? null,
    attempts: attempts.filter((a) => a.deliveryId === delivery.id).map(toAttemptView),
  };
}
