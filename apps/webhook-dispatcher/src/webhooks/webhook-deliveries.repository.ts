import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { WebhookDeliveryStatus, WebhookDisabledReason } from '@yardstick/contracts';
import { WebhookAttemptEntity } from './webhook-attempt.entity';
import { WebhookDeliveryEntity } from './webhook-delivery.entity';

/** A delivery a replica holds the lease of, with what it needs to send it. */
export interface ClaimedDelivery {
  id: string;
  leaseToken: string;
  subscriptionId: string;
  eventId: string;
  body: string;
  /** Including the attempt about to be made. */
  attemptCount: number;
  roundStartedAt: Date;
  roundAttempts: number;
  url: string;
  secretSealed: string | null;
  /** Null once the rotation overlap is over. */
  previousSecretSealed: string | null;
  failingSince: Date | null;
}

/** What an attempt led to, decided by the delivery service. */
export interface AttemptResolution {
  attempt: Omit<WebhookAttemptEntity, 'id' | 'deliveryId'>;
  status: WebhookDeliveryStatus;
  nextAttemptAt: Date | null;
  /** Set when the subscription must stop receiving: it is disabled and its other pending deliveries fail. */
  disable?: WebhookDisabledReason;
}

export interface DeliveryFilter {
  status?: WebhookDeliveryStatus;
  eventType?: string;
}

/** Webhook deliveries and their attempts: the schedule the dispatcher's replicas share. */
@Injectable()
export class WebhookDeliveriesRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Records one event for every active subscription of the project whose patterns select it, due at once.
   * Idempotent: an event already recorded for a subscription is left as it is. Returns how many were new.
   */
  async enqueue(projectId: string, eventId: string, subject: string, body: string): Promise<number> {
    const rows: unknown[] = await this.dataSource.query(
      `INSERT INTO webhook_deliveries (id, subscription_id, event_id, subject, body, status, next_attempt_at, round_started_at, created_at)
       SELECT gen_random_uuid(), s.id, $2, $3, $4, 'pending', now(), now(), now()
       FROM webhook_subscriptions s
       WHERE s.project_id = $1 AND s.status = 'active'
         AND EXISTS (SELECT 1 FROM unnest(s.events) p WHERE p = $3 OR (right(p, 2) = '.*' AND starts_with($3, left(p, -1))))
       ON CONFLICT ON CONSTRAINT uq_webhook_deliveries_subscription_event DO NOTHING
       RETURNING id`,
      [projectId, eventId, subject, body],
    );
    return rows.length;
  }

  /**
   * Takes the lease of up to `limit` due deliveries of active subscriptions. SKIP LOCKED lets replicas claim
   * side by side; a lease that ran out (its replica died mid-attempt) makes the delivery claimable again.
   */
  async claimDue(limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
    const [rows] = await this.dataSource.query(
      `UPDATE webhook_deliveries d
       SET lease_token = gen_random_uuid(), lease_until = now() + make_interval(secs => $2::double precision / 1000),
           attempt_count = d.attempt_count + 1, round_attempts = d.round_attempts + 1
       FROM webhook_subscriptions s
       WHERE s.id = d.subscription_id AND d.id IN (
         SELECT c.id FROM webhook_deliveries c JOIN webhook_subscriptions cs ON cs.id = c.subscription_id
         WHERE c.status = 'pending' AND c.next_attempt_at <= now() AND (c.lease_until IS NULL OR c.lease_until < now())
           AND cs.status = 'active' AND c.body IS NOT NULL
         ORDER BY c.next_attempt_at
         LIMIT $1
         FOR UPDATE OF c SKIP LOCKED)
       RETURNING d.id, d.lease_token AS "leaseToken", d.subscription_id AS "subscriptionId", d.event_id AS "eventId", d.body,
         d.attempt_count AS "attemptCount", d.round_started_at AS "roundStartedAt", d.round_attempts AS "roundAttempts",
         s.url, s.secret_sealed AS "secretSealed",
         CASE WHEN s.previous_secret_expires_at > now() THEN s.previous_secret_sealed END AS "previousSecretSealed",
         s.failing_since AS "failingSince"`,
      [limit, leaseMs],
    );
    return rows;
  }

  /**
   * Logs the attempt and settles the delivery and its subscription, in one transaction. A delivery whose lease
   * was lost meanwhile (another replica re-claimed it) only gets its attempt logged.
   */
  async resolve(claim: ClaimedDelivery, resolution: AttemptResolution): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.insert(WebhookAttemptEntity, { id: randomUUID(), deliveryId: claim.id, ...resolution.attempt });
      const [, updated] = await manager.query(
        `UPDATE webhook_deliveries SET status = $3::webhook_delivery_state, next_attempt_at = $4, lease_token = NULL, lease_until = NULL,
           delivered_at = CASE WHEN $3::webhook_delivery_state = 'delivered' THEN now() ELSE delivered_at END
         WHERE id = $1 AND lease_token = $2`,
        [claim.id, claim.leaseToken, resolution.status, resolution.nextAttemptAt],
      );
      if (!updated) return;
      if (resolution.attempt.delivered) {
        await manager.query(`UPDATE webhook_subscriptions SET failing_since = NULL WHERE id = $1`, [claim.subscriptionId]);
      } else {
        await manager.query(`UPDATE webhook_subscriptions SET failing_since = COALESCE(failing_since, $2) WHERE id = $1`, [
          claim.subscriptionId, resolution.attempt.startedAt,
        ]);
      }
      if (resolution.disable) await this.disable(manager, claim.subscriptionId, resolution.disable);
    });
  }

  private async disable(manager: EntityManager, subscriptionId: string, reason: WebhookDisabledReason): Promise<void> {
    await manager.query(
      `UPDATE webhook_subscriptions SET status = 'disabled', disabled_reason = $2, disabled_at = now() WHERE id = $1 AND status = 'active'`,
      [subscriptionId, reason],
    );
    await manager.query(
      `UPDATE webhook_deliveries SET status = 'failed', next_attempt_at = NULL WHERE subscription_id = $1 AND status = 'pending'`,
      [subscriptionId],
    );
  }

  /** A page of a subscription's deliveries, newest first, filtered before paging, each with its attempts in order. */
  async list(subscriptionId: string, filter: DeliveryFilter, limit: number, offset: number) {
    const [{ total }] = await this.dataSource.query(
      `SELECT count(*)::int AS total FROM webhook_deliveries
       WHERE subscription_id = $1 AND ($2::webhook_delivery_state IS NULL OR status = $2) AND ($3::text IS NULL OR subject = $3)`,
      [subscriptionId, filter.status ?? null, filter.eventType ?? null],
    );
    const deliveries = await this.dataSource.manager
      .createQueryBuilder(WebhookDeliveryEntity, 'd')
      .where('d.subscription_id = :subscriptionId', { subscriptionId })
      .andWhere(filter.status ? 'd.status = :status' : 'TRUE', { status: filter.status })
      .andWhere(filter.eventType ? 'd.subject = :eventType' : 'TRUE', { eventType: filter.eventType })
      .orderBy('d.created_at', 'DESC')
      .addOrderBy('d.id', 'ASC')
      .take(limit)
      .skip(offset)
      .getMany();
    const attempts = deliveries.length
      ? await this.dataSource.manager
        .createQueryBuilder(WebhookAttemptEntity, 'a')
        .where('a.delivery_id IN (:...ids)', { ids: deliveries.map((d) => d.id) })
        .orderBy('a.attempt', 'ASC')
        .getMany()
      : [];
    return { deliveries, attempts, total: total as number };
  }

  async findWithAttempts(subscriptionId: string, deliveryId: string) {
    const delivery = await this.dataSource.manager.findOneBy(WebhookDeliveryEntity, { subscriptionId, id: deliveryId });
    const attempts = delivery ? await this.dataSource.manager.find(WebhookAttemptEntity, { where: { deliveryId }, order: { attempt: 'ASC' } }) : [];
    return { delivery, attempts };
  }

  /**
   * Makes deliveries due now with a fresh retry schedule (same event id, same body). Deliveries being sent
   * right now (a live lease) are left alone. Returns the ids it rescheduled.
   */
  async redeliver(subscriptionId: string, scope: { deliveryId: string } | { from: Date; to: Date }): Promise<string[]> {
    const [byId, params] = 'deliveryId' in scope
      ? ['id = $2', [subscriptionId, scope.deliveryId]]
      : [`status = 'failed' AND created_at >= $2 AND created_at < $3`, [subscriptionId, scope.from, scope.to]];
    const [rows] = await this.dataSource.query(
      `UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = now(), round_started_at = now(), round_attempts = 0
       WHERE subscription_id = $1 AND ${byId} AND body IS NOT NULL AND (lease_until IS NULL OR lease_until < now())
       RETURNING id`,
      params,
    );
    return (rows as Array<{ id: string }>).map((row) => row.id);
  }
}
