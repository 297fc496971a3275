import { Injectable, Logger } from '@nestjs/common';
import { buildRunWebhookPayload, RunEventOccurrence } from './dto/run-webhook-payload';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository';
import { WebhookDeliveryStatus } from './webhook-delivery.entity';
import { WebhookSender } from './webhook-sender';
import { WebhookSubscriptionsRepository, WebhookTarget } from './webhook-subscriptions.repository';

/** How many receivers one event is POSTed to at once. */
const DELIVERY_PARALLELISM = 8;

export interface DeliveryReport {
  /** Subscriptions tried this time (those already delivered earlier are skipped). */
  attempted: number;
  delivered: number;
  /** Failed for good (e.g. a 4xx): recorded, not tried again. */
  rejected: number;
  /** Failed in a way worth retrying (network error, timeout, 5xx, 429). */
  retryable: number;
  /** The longest Retry-After among the retryable failures, when any receiver sent one. */
  retryAfterMs?: number;
}

/**
 * Delivers one run event to every subscription of its project that wants it and has not had it yet.
 * Deliveries are at least once: a crash between a receiver's 2xx and recording it re-sends the event on redelivery,
 * with the same `webhook-id`, which is what receivers deduplicate on.
 */
@Injectable()
export class WebhookDeliveryService {
  private readonly logger = new Logger(WebhookDeliveryService.name);

  constructor(
    private readonly subscriptions: WebhookSubscriptionsRepository,
    private readonly deliveries: WebhookDeliveriesRepository,
    private readonly sender: WebhookSender,
  ) {}

  async deliver(occurrence: RunEventOccurrence): Promise<DeliveryReport> {
    const targets = await this.subscriptions.findUndelivered(occurrence.event.projectId, occurrence.subject, occurrence.eventId);
    const body = JSON.stringify(buildRunWebhookPayload(occurrence));
    const report: DeliveryReport = { attempted: targets.length, delivered: 0, rejected: 0, retryable: 0 };
    for (let start = 0; start < targets.length; start += DELIVERY_PARALLELISM) {
      await Promise.all(targets.slice(start, start + DELIVERY_PARALLELISM).map((target) => this.deliverTo(target, occurrence, body, report)));
    }
    return report;
  }

  private async deliverTo(target: WebhookTarget, occurrence: RunEventOccurrence, body: string, report: DeliveryReport): Promise<void> {
    const outcome = await this.sender.send(target.url, body, occurrence.eventId);
    await this.deliveries.record({ subscriptionId: target.subscriptionId, eventId: occurrence.eventId, subject: occurrence.subject, outcome });
    if (outcome.status === WebhookDeliveryStatus.Delivered) {
      report.delivered++;
      return;
    }
    this.logger.warn(
      `${occurrence.subject} ${occurrence.eventId} to subscription ${target.subscriptionId}: ${outcome.error}${outcome.retryable ? ', will retry' : ''}`,
    );
    if (!outcome.retryable) {
      report.rejected++;
      return;
    }
    report.retryable++;
    if (outcome.retryAfterMs !== undefined) report.retryAfterMs = Math.max(report.retryAfterMs ?? 0, outcome.retryAfterMs);
  }
}
