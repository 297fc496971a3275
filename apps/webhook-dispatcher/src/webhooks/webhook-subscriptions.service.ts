import { Inject, Injectable } from '@nestjs/common';
import {
  CreateWebhookRequest, ListWebhookDeliveriesRequest, Page, RedeliverWebhookDeliveryRequest, RedeliverWebhookRangeRequest, ServiceErrorCode,
  ServiceException, WebhookDeliveryView, WebhookRequest, WebhookSecretView, WebhookSubscriptionStatus, WebhookView,
} from '@yardstick/contracts';
import { SecretBox } from '@yardstick/secrets';
import { WebhookDispatcherEnv } from '../config/webhook-dispatcher.env';
import { DestinationGuard } from '../destinations/destination-guard';
import { DeliveryScheduler } from './delivery-scheduler';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository';
import { generateWebhookSecret } from './webhook-signature';
import { WebhookSubscriptionEntity } from './webhook-subscription.entity';
import { WebhookSubscriptionsRepository } from './webhook-subscriptions.repository';
import { toDeliveryView, toWebhookView } from './webhook-views';

/** Subscriptions, their secrets and their delivery log, as the gateway asks for them. */
@Injectable()
export class WebhookSubscriptionsService {
  constructor(
    private readonly subscriptions: WebhookSubscriptionsRepository,
    private readonly deliveries: WebhookDeliveriesRepository,
    private readonly guard: DestinationGuard,
    @Inject(SecretBox) private readonly secrets: SecretBox,
    private readonly scheduler: DeliveryScheduler,
    private readonly env: WebhookDispatcherEnv,
  ) {}

  async create(request: CreateWebhookRequest): Promise<WebhookSecretView> {
    const check = await this.guard.check(request.url);
    if (!check.ok) {
      throw new ServiceException(ServiceErrorCode.ValidationFailed, check.message, { field: 'url', reason: check.reason });
    }
    const secret = generateWebhookSecret();
    const subscription = await this.subscriptions.create({
      projectId: request.projectId, url: request.url, events: request.events, secretSealed: this.secrets.seal(secret),
    });
    return { webhook: toWebhookView(subscription), secret, previousSecretExpiresAt: null };
  }

  async list(projectId: string, limit: number, offset: number): Promise<Page<WebhookView>> {
    const page = await this.subscriptions.list(projectId, limit, offset);
    return { ...page, items: page.items.map(toWebhookView) };
  }

  async get(request: WebhookRequest): Promise<WebhookView> {
    return toWebhookView(await this.subscription(request));
  }

  async delete(request: WebhookRequest): Promise<{ deleted: true }> {
    if (!(await this.subscriptions.delete(request.projectId, request.webhookId))) throw notFound(request.webhookId);
    return { deleted: true };
  }

  async enable(request: WebhookRequest): Promise<WebhookView> {
    const subscription = await this.subscriptions.enable(request.projectId, request.webhookId);
    if (!subscription) throw notFound(request.webhookId);
    return toWebhookView(subscription);
  }

  async rotateSecret(request: WebhookRequest): Promise<WebhookSecretView> {
    const secret = generateWebhookSecret();
    const previousSecretExpiresAt = new Date(Date.now() + this.env.WEBHOOK_SECRET_OVERLAP_MS);
    const subscription = await this.subscriptions.rotateSecret(request.projectId, request.webhookId, this.secrets.seal(secret), previousSecretExpiresAt);
    if (!subscription) throw notFound(request.webhookId);
    return {
      webhook: toWebhookView(subscription),
      secret,
      previousSecretExpiresAt: subscription.previousSecretExpiresAt?.toISOString() ?? null,
    };
  }

  async listDeliveries(request: ListWebhookDeliveriesRequest): Promise<Page<WebhookDeliveryView>> {
    await this.subscription(request);
    const { deliveries, attempts, total } = await this.deliveries.list(
      request.webhookId, { status: request.status, eventType: request.eventType }, request.limit, request.offset,
    );
    return { items: deliveries.map((d) => toDeliveryView(d, attempts)), total, limit: request.limit, offset: request.offset };
  }

  async redeliver(request: RedeliverWebhookDeliveryRequest): Promise<WebhookDeliveryView> {
    await this.activeSubscription(request);
    const found = await this.deliveries.findWithAttempts(request.webhookId, request.deliveryId);
    if (!found.delivery) throw new ServiceException(ServiceErrorCode.NotFound, `delivery ${request.deliveryId} not found`);
    const rescheduled = await this.deliveries.redeliver(request.webhookId, { deliveryId: request.deliveryId });
    if (!rescheduled.length) {
      throw new ServiceException(ServiceErrorCode.Conflict, 'the delivery is being sent right now, or predates the delivery log and has no body');
    }
    this.scheduler.wake();
    const { delivery, attempts } = await this.deliveries.findWithAttempts(request.webhookId, request.deliveryId);
    return toDeliveryView(delivery!, attempts);
  }

  async redeliverRange(request: RedeliverWebhookRangeRequest): Promise<{ redelivered: number }> {
    const [from, to] = [new Date(request.from), new Date(request.to)];
    if (from >= to) throw new ServiceException(ServiceErrorCode.ValidationFailed, 'from must be before to', { field: 'from' });
    await this.activeSubscription(request);
    const rescheduled = await this.deliveries.redeliver(request.webhookId, { from, to });
    if (rescheduled.length) this.scheduler.wake();
    return { redelivered: rescheduled.length };
  }

  private async subscription(request: WebhookRequest): Promise<WebhookSubscriptionEntity> {
    const subscription = await this.subscriptions.find(request.projectId, request.webhookId);
    if (!subscription) throw notFound(request.webhookId);
    return subscription;
  }

  private async activeSubscription(request: WebhookRequest): Promise<WebhookSubscriptionEntity> {
    const subscription = await this.subscription(request);
    if (subscription.status !== WebhookSubscriptionStatus.Active) {
      throw new ServiceException(ServiceErrorCode.Conflict, `webhook ${subscription.id} is disabled (${subscription.disabledReason}): nothing is sent to it`, {
        disabled_reason: subscription.disabledReason,
      });
    }
    return subscription;
  }
}

function notFound(webhookId: string): ServiceException {
  return new ServiceException(ServiceErrorCode.NotFound, `webhook ${webhookId} not found`);
}
