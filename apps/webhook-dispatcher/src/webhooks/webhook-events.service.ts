import { Injectable } from '@nestjs/common';
import { DeliveryScheduler } from './delivery-scheduler';
import { buildRunWebhookPayload, RunEventOccurrence } from './dto/run-webhook-payload';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository';

/**
 * Turns an event into one pending delivery per subscription that wants it; the scheduler sends them.
 * Recording is idempotent on event id × subscription, so a redelivered event adds nothing.
 */
@Injectable()
export class WebhookEventsService {
  constructor(
    private readonly deliveries: WebhookDeliveriesRepository,
    private readonly scheduler: DeliveryScheduler,
  ) {}

  async record(occurrence: RunEventOccurrence): Promise<number> {
    const body = JSON.stringify(buildRunWebhookPayload(occurrence));
    const recorded = await this.deliveries.enqueue(occurrence.event.projectId, occurrence.eventId, occurrence.subject, body);
    if (recorded) this.scheduler.wake();
    return recorded;
  }
}
