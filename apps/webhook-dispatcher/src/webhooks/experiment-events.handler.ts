import { Injectable } from '@nestjs/common';
import { MessageContext, OnSubject } from '@yardstick/bus';
import {
  Consumers, ExperimentConfigCompletedEvent, ExperimentConfigStartedEvent, ExperimentFinishedEvent, ExperimentStartedEvent, PayloadOf, Subjects, WebhookEvent,
} from '@yardstick/contracts';
import { WebhookEventsService } from './webhook-events.service';

/**
 * Experiment events (`eval.experiment.*`), recorded as deliveries to the project's webhooks exactly like run events:
 * acked once they are in Postgres; the delivery scheduler takes the sending and retries from there.
 */
@Injectable()
export class ExperimentEventsHandler {
  constructor(private readonly events: WebhookEventsService) {}

  @OnSubject(Consumers.WebhookDispatcherExperimentStarted)
  async onStarted(event: ExperimentStartedEvent, context: MessageContext): Promise<void> {
    await this.record(Subjects.ExperimentStarted, event, context);
  }

  @OnSubject(Consumers.WebhookDispatcherExperimentConfigStarted)
  async onConfigStarted(event: ExperimentConfigStartedEvent, context: MessageContext): Promise<void> {
    await this.record(Subjects.ExperimentConfigStarted, event, context);
  }

  @OnSubject(Consumers.WebhookDispatcherExperimentConfigCompleted)
  async onConfigCompleted(event: ExperimentConfigCompletedEvent, context: MessageContext): Promise<void> {
    await this.record(Subjects.ExperimentConfigCompleted, event, context);
  }

  @OnSubject(Consumers.WebhookDispatcherExperimentNewBest)
  async onNewBest(event: ExperimentConfigCompletedEvent, context: MessageContext): Promise<void> {
    await this.record(Subjects.ExperimentNewBest, event, context);
  }

  @OnSubject(Consumers.WebhookDispatcherExperimentCompleted)
  async onCompleted(event: ExperimentFinishedEvent, context: MessageContext): Promise<void> {
    await this.record(Subjects.ExperimentCompleted, event, context);
  }

  @OnSubject(Consumers.WebhookDispatcherExperimentStopped)
  async onStopped(event: ExperimentFinishedEvent, context: MessageContext): Promise<void> {
    await this.record(Subjects.ExperimentStopped, event, context);
  }

  @OnSubject(Consumers.WebhookDispatcherExperimentBudgetExhausted)
  async onBudgetExhausted(event: ExperimentFinishedEvent, context: MessageContext): Promise<void> {
    await this.record(Subjects.ExperimentBudgetExhausted, event, context);
  }

  private async record<S extends WebhookEvent>(subject: S, event: PayloadOf<S>, context: MessageContext): Promise<void> {
    await this.events.record({ eventId: context.messageId, subject, occurredAt: context.occurredAt, event });
  }
}
