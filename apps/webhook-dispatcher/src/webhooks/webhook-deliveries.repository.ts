import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { DeliveryOutcome } from './delivery-outcome';

export interface DeliveryAttempt {
  subscriptionId: string;
  eventId: string;
  subject: string;
  outcome: DeliveryOutcome;
}

/** Outcomes of delivering events to subscriptions. */
@Injectable()
export class WebhookDeliveriesRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Records an attempt's outcome over the previous one; a delivery already recorded as delivered stays delivered. */
  async record(attempt: DeliveryAttempt): Promise<void> {
    const { outcome } = attempt;
    await this.dataSource.query(
      `INSERT INTO webhook_deliveries (id, subscription_id, event_id, subject, status, response_status, error, attempted_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, now())
       ON CONFLICT ON CONSTRAINT uq_webhook_deliveries_subscription_event DO UPDATE
         SET status = EXCLUDED.status, response_status = EXCLUDED.response_status, error = EXCLUDED.error, attempted_at = EXCLUDED.attempted_at
         WHERE webhook_deliveries.status <> 'delivered'`,
      [
        randomUUID(), attempt.subscriptionId, attempt.eventId, attempt.subject, outcome.status, outcome.responseStatus,
        outcome.status === 'failed' ? outcome.error.slice(0, 2000) : null,
      ],
    );
  }
}
