import { Module } from '@nestjs/common';
import { SecretBox } from '@yardstick/secrets';
import { WebhookDispatcherEnv } from '../config/webhook-dispatcher.env';
import { AllowedNetworks } from '../destinations/allowed-networks';
import { DestinationGuard } from '../destinations/destination-guard';
import { ResolutionPolicy } from './attempt-resolution';
import { DeliveryAttemptService, RESOLUTION_POLICY } from './delivery-attempt.service';
import { DeliveryScheduler } from './delivery-scheduler';
import { ExperimentEventsHandler } from './experiment-events.handler';
import { RetrySchedule } from './retry-schedule';
import { RunEventsHandler } from './run-events.handler';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository';
import { WebhookEventsService } from './webhook-events.service';
import { WebhookSender } from './webhook-sender';
import { WebhookSubscriptionsRepository } from './webhook-subscriptions.repository';
import { WebhookSubscriptionsService } from './webhook-subscriptions.service';
import { WebhooksRpcHandler } from './webhooks.rpc-handler';

@Module({
  providers: [
    {
      provide: DestinationGuard,
      inject: [WebhookDispatcherEnv],
      useFactory: (env: WebhookDispatcherEnv) => new DestinationGuard(new AllowedNetworks(env.WEBHOOK_ALLOWED_HOSTS)),
    },
    {
      provide: WebhookSender,
      inject: [DestinationGuard, WebhookDispatcherEnv],
      useFactory: (guard: DestinationGuard, env: WebhookDispatcherEnv) => new WebhookSender(guard, env.WEBHOOK_TIMEOUT_MS),
    },
    {
      provide: SecretBox,
      inject: [WebhookDispatcherEnv],
      useFactory: (env: WebhookDispatcherEnv) => SecretBox.fromEnv({ SECRET_KEYS: env.SECRET_KEYS, SECRET_ACTIVE_KEY_ID: env.SECRET_ACTIVE_KEY_ID }),
    },
    {
      provide: RESOLUTION_POLICY,
      inject: [WebhookDispatcherEnv],
      useFactory: (env: WebhookDispatcherEnv): ResolutionPolicy => ({
        schedule: RetrySchedule.parse(env.WEBHOOK_RETRY_SCHEDULE),
        disableAfterMs: env.WEBHOOK_DISABLE_AFTER_MS,
      }),
    },
    WebhookSubscriptionsRepository,
    WebhookDeliveriesRepository,
    WebhookSubscriptionsService,
    WebhookEventsService,
    DeliveryAttemptService,
    DeliveryScheduler,
    RunEventsHandler,
    ExperimentEventsHandler,
    WebhooksRpcHandler,
  ],
})
export class WebhooksModule {}
