import { DynamicModule, Global, Module } from '@nestjs/common';
import { BusModule } from '@yardstick/bus';
import { PersistenceModule } from '@yardstick/persistence';
import { HealthModule } from '@yardstick/service-runtime';
import { WebhookDispatcherEnv } from './config/webhook-dispatcher.env';
import { webhookDispatcherPersistence } from './webhook-dispatcher.persistence';
import { WebhooksModule } from './webhooks/webhooks.module';

@Global()
@Module({})
export class AppModule {
  static register(env: WebhookDispatcherEnv): DynamicModule {
    return {
      module: AppModule,
      imports: [
        HealthModule,
        PersistenceModule.forRoot(webhookDispatcherPersistence(env)),
        BusModule.forRoot({ servers: env.NATS_URL, prefix: env.BUS_PREFIX, serviceName: 'webhook-dispatcher' }),
        WebhooksModule,
      ],
      providers: [{ provide: WebhookDispatcherEnv, useValue: env }],
      exports: [WebhookDispatcherEnv],
    };
  }
}
