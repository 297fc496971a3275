import { Module } from '@nestjs/common';
import { WebhookDispatcherEnv } from '../config/webhook-dispatcher.env';
import { RunEventsHandler } from './run-events.handler';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository';
import { WebhookDeliveryService } from './webhook-delivery.service';
import { WebhookSender } from './webhook-sender';
import { WebhookSubscriptionsRepository } from './webhook-subscriptions.repository';
import { WebhooksRpcHandler } from './webhooks.rpc-handler';

@Module({
  providers: [
    { provide: WebhookSender, inject: [WebhookDispatcherEnv], useFactory: (env: WebhookDispatcherEnv) => new WebhookSender(env.WEBHOOK_TIMEOUT_MS) },
    WebhookSubscriptionsRepository,
    WebhookDeliveriesRepository,
    WebhookDeliveryService,
    RunEventsHandler,
    WebhooksRpcHandler,
  ],
})
export class WebhooksModule {}
