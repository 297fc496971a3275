import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Page, WebhookSubscriptionStatus } from '@yardstick/contracts';
import { WebhookSubscriptionEntity } from './webhook-subscription.entity';

export interface NewSubscription {
  projectId: string;
  url: string;
  events: string[];
  secretSealed: string;
}

/** Webhook subscriptions; every query is scoped by project. */
@Injectable()
export class WebhookSubscriptionsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async create(subscription: NewSubscription): Promise<WebhookSubscriptionEntity> {
    const entity = this.dataSource.manager.create(WebhookSubscriptionEntity, {
      id: randomUUID(),
      ...subscription,
      events: [...new Set(subscription.events)],
      previousSecretSealed: null,
      previousSecretExpiresAt: null,
      status: WebhookSubscriptionStatus.Active,
      disabledReason: null,
      disabledAt: null,
      failingSince: null,
    });
    await this.dataSource.manager.insert(WebhookSubscriptionEntity, entity);
    return entity;
  }

  async list(projectId: string, limit: number, offset: number): Promise<Page<WebhookSubscriptionEntity>> {
    const [items, total] = await this.dataSource.manager.findAndCount(WebhookSubscriptionEntity, {
      where: { projectId },
      order: { createdAt: 'DESC', id: 'ASC' },
      take: limit,
      skip: offset,
    });
    return { items, total, limit, offset };
  }

  /** Deletes the subscription with its delivery log (cascade); false when the project has no such subscription. */
  async delete(projectId: string, id: string): Promise<boolean> {
    const result = await this.dataSource.manager.delete(WebhookSubscriptionEntity, { projectId, id });
    return (result.affected ?? 0) > 0;
  }

  /** Active again, with the failure streak forgotten; a no-op on an active subscription. */
  async enable(projectId: string, id: string): Promise<WebhookSubscriptionEntity | null> {
    await this.dataSource.query(
      `UPDATE webhook_subscriptions SET status = 'active', disabled_reason = NULL, disabled_at = NULL, failing_since = NULL
       WHERE project_id = $1 AND id = $2 AND status = 'disabled'`,
      [projectId, id],
    );
    return this.find(projectId, id);
  }

  find(projectId: string, id: string): Promise<WebhookSubscriptionEntity | null> {
    return this.dataSource.manager.findOneBy(WebhookSubscriptionEntity, { projectId, id });
  }

  /** Makes `secretSealed` the signing secret; the one it replaces keeps signing until `previousExpiresAt`. */
  async rotateSecret(projectId: string, id: string, secretSealed: string, previousExpiresAt: Date): Promise<WebhookSubscriptionEntity | null> {
    const [rows] = await this.dataSource.query(
      `UPDATE webhook_subscriptions
       SET previous_secret_sealed = secret_sealed, previous_secret_expires_at = CASE WHEN secret_sealed IS NULL THEN NULL ELSE $4::timestamptz END,
           secret_sealed = $3
       WHERE project_id = $1 AND id = $2 RETURNING id`,
      [projectId, id, secretSealed, previousExpiresAt],
    );
    return rows.length ? this.find(projectId, id) : null;
  }
}
