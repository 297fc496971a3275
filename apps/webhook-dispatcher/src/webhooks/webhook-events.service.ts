import { Injectable } from '@nestjs/common';
import { DeliveryScheduler } from './delivery-scheduler';
import { buildWebhookPayload, WebhookEventOccurrence } from './dto/webhook-payload';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository';

/**
 * Turns a run or experiment event into one pending delivery per subscription that wants it; the scheduler sends them.
 * Recording is idempotent on event id × subscription, so a redelivered event adds nothing.
 */
@Injectable()
export class WebhookEventsService {
  constructor(
    private readonly deliveries: WebhookDeliveriesRepository,
    private readonly scheduler: DeliveryScheduler,
  ) {}

  async record(occurrence: WebhookEventOccurrence): Promise<number> {
    const body = JSON.stringify(buildWebhookPayload(occurrence));
    const recorded = await this.deliveries.enqueue(occurrence.event.projectId, occurrence.eventId, occurrence.subject, body);
    if (recorded) this.scheduler.wake();
    return recorded;
  }
}
