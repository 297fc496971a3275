import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { CreateWebhookRequest, ListWebhooksRequest, Page, WebhookEvent, WebhookView } from '@yardstick/contracts';
import { WebhookSubscriptionEntity } from './webhook-subscription.entity';

/** Where a webhook delivery goes. */
export interface WebhookTarget {
  subscriptionId: string;
  url: string;
}

/** Webhook subscriptions; every query is scoped by project. */
@Injectable()
export class WebhookSubscriptionsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async create(request: CreateWebhookRequest): Promise<WebhookView> {
    const subscription = this.dataSource.manager.create(WebhookSubscriptionEntity, {
      id: randomUUID(),
      projectId: request.projectId,
      url: request.url,
      events: [...new Set(request.events)],
    });
    await this.dataSource.manager.insert(WebhookSubscriptionEntity, subscription);
    return toView(subscription);
  }

  async list(request: ListWebhooksRequest): Promise<Page<WebhookView>> {
    const [subscriptions, total] = await this.dataSource.manager.findAndCount(WebhookSubscriptionEntity, {
      where: { projectId: request.projectId },
      order: { createdAt: 'DESC', id: 'ASC' },
      take: request.limit,
      skip: request.offset,
    });
    return { items: subscriptions.map(toView), total, limit: request.limit, offset: request.offset };
  }

  /** The project's subscriptions to `subject` that have not yet been delivered event `eventId`. */
  async findUndelivered(projectId: string, subject: WebhookEvent, eventId: string): Promise<WebhookTarget[]> {
    return this.dataSource.query(
      `SELECT s.id AS "subscriptionId", s.url FROM webhook_subscriptions s
       WHERE s.project_id = $1 AND $2 = ANY (s.events)
         AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.subscription_id = s.id AND d.event_id = $3 AND d.status = 'delivered')
       ORDER BY s.created_at, s.id`,
      [projectId, subject, eventId],
    );
  }
}

function toView(subscription: WebhookSubscriptionEntity): WebhookView {
  return {
    id: subscription.id,
    projectId: subscription.projectId,
    url: subscription.url,
    events: subscription.events,
    createdAt: subscription.createdAt.toISOString(),
  };
}
