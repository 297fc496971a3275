import { DynamicModule, Global, Module } from '@nestjs/common';
import { BLOB_STORE, BlobStore, BlobStoreModule } from '@yardstick/blob-store';
import { BusModule } from '@yardstick/bus';
import { PersistenceModule } from '@yardstick/persistence';
import { HealthModule, ReadinessRegistry } from '@yardstick/service-runtime';
import { GatewayEnv } from './config/gateway.env';
import { ConfigsModule } from './configs/configs.module';
import { DatasetsModule } from './datasets/datasets.module';
import { EvaluationsModule } from './evaluations/evaluations.module';
import { ExperimentsModule } from './experiments/experiments.module';
import { gatewayPersistence } from './gateway.persistence';
import { TenancyModule } from './tenancy/tenancy.module';
import { WebhooksModule } from './webhooks/webhooks.module';
import { ProvidersModule } from './providers/providers.module';
import { CacheModule } from './cache/cache.module';
import { LiveEventsModule } from './live-events/live-events.module';

@Global()
@Module({})
export class AppModule {
  static register(env: GatewayEnv): DynamicModule {
    return {
      module: AppModule,
      imports: [
        HealthModule,
        PersistenceModule.forRoot(gatewayPersistence(env)),
        BusModule.forRoot({ servers: env.NATS_URL, prefix: env.BUS_PREFIX, serviceName: 'gateway' }),
        BlobStoreModule.forRoot(),
        TenancyModule,
        DatasetsModule,
        ConfigsModule,
        EvaluationsModule,
        ExperimentsModule,
        WebhooksModule,
        ProvidersModule,
        CacheModule,
        LiveEventsModule,
      ],
      providers: [
        {
          provide: 'BLOB_STORE_READINESS',
          inject: [BLOB_STORE, ReadinessRegistry],
          useFactory: (store: BlobStore, readiness: ReadinessRegistry) => readiness.register({ name: 'blob-store', check: () => store.ping() }),
        },
        { provide: GatewayEnv, useValue: env }],
      exports: [GatewayEnv],
    };
  }
}
