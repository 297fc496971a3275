import { Injectable } from '@nestjs/common';
import { MessageContext, OnSubject } from '@yardstick/bus';
import { Consumers, RunFinishedEvent, Subjects, WebhookEvent } from '@yardstick/contracts';
import { WebhookEventsService } from './webhook-events.service';

/**
 * Finished runs, recorded as deliveries to the project's webhooks; the message is acked once they are in
 * Postgres, and the delivery scheduler (not JetStream redelivery) takes the retries from there.
 */
@Injectable()
export class RunEventsHandler {
  constructor(private readonly events: WebhookEventsService) {}

  @OnSubject(Consumers.WebhookDispatcherRunCompleted)
  async onRunCompleted(event: RunFinishedEvent, context: MessageContext): Promise<void> {
    await this.record(Subjects.RunCompleted, event, context);
  }

  @OnSubject(Consumers.WebhookDispatcherRunFailed)
  async onRunFailed(event: RunFinishedEvent, context: MessageContext): Promise<void> {
    await this.record(Subjects.RunFailed, event, context);
  }

  @OnSubject(Consumers.WebhookDispatcherRunCancelled)
  async onRunCancelled(event: RunFinishedEvent, context: MessageContext): Promise<void> {
    await this.record(Subjects.RunCancelled, event, context);
  }

  private async record(subject: WebhookEvent, event: RunFinishedEvent, context: MessageContext): Promise<void> {
    await this.events.record({ eventId: context.messageId, subject, occurredAt: context.occurredAt, event });
  }
}
