import { Injectable } from '@nestjs/common';
import { MessageContext, OnSubject, TransientHandlerError } from '@yardstick/bus';
import { Consumers, RunFinishedEvent, Subjects, WebhookEvent } from '@yardstick/contracts';
import { WebhookDeliveryService } from './webhook-delivery.service';

/**
 * Finished runs, delivered to the project's webhooks. The message is acked once every subscription has either
 * received it or rejected it for good; otherwise it comes back later and only the undelivered ones are tried again.
 */
@Injectable()
export class RunEventsHandler {
  constructor(private readonly deliveries: WebhookDeliveryService) {}

  @OnSubject(Consumers.WebhookDispatcherRunCompleted)
  onRunCompleted(event: RunFinishedEvent, context: MessageContext): Promise<void> {
    return this.deliver(Subjects.RunCompleted, event, context);
  }

  @OnSubject(Consumers.WebhookDispatcherRunFailed)
  onRunFailed(event: RunFinishedEvent, context: MessageContext): Promise<void> {
    return this.deliver(Subjects.RunFailed, event, context);
  }

  @OnSubject(Consumers.WebhookDispatcherRunCancelled)
  onRunCancelled(event: RunFinishedEvent, context: MessageContext): Promise<void> {
    return this.deliver(Subjects.RunCancelled, event, context);
  }

  private async deliver(subject: WebhookEvent, event: RunFinishedEvent, context: MessageContext): Promise<void> {
    const report = await this.deliveries.deliver({ eventId: context.messageId, subject, occurredAt: context.occurredAt, event });
    if (report.retryable > 0) {
      throw new TransientHandlerError(`${report.retryable} of ${report.attempted} webhook deliveries failed, retrying`, report.retryAfterMs);
    }
  }
}
