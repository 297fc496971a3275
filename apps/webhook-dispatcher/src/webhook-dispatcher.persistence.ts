import { PersistenceOptions } from '@yardstick/persistence';
import { WebhookDispatcherEnv } from './config/webhook-dispatcher.env';
import { CreateWebhooks1732960800000 } from './migrations/1732960800000-create-webhooks';
import { ScheduleWebhookDeliveries1732960900000 } from './migrations/1732960900000-schedule-webhook-deliveries';
import { WebhookAttemptEntity } from './webhooks/webhook-attempt.entity';
import { WebhookDeliveryEntity } from './webhooks/webhook-delivery.entity';
import { WebhookSubscriptionEntity } from './webhooks/webhook-subscription.entity';

export function webhookDispatcherPersistence(env: WebhookDispatcherEnv): PersistenceOptions {
  return {
    databaseUrl: env.DATABASE_URL,
    schema: env.DB_SCHEMA,
    poolSize: env.DB_POOL_SIZE,
    entities: [WebhookSubscriptionEntity, WebhookDeliveryEntity, WebhookAttemptEntity],
    migrations: [CreateWebhooks1732960800000, ScheduleWebhookDeliveries1732960900000],
  };
}
