import { DynamicModule, Global, Module } from '@nestjs/common';
import { BLOB_STORE, BlobStore, BlobStoreModule } from '@yardstick/blob-store';
import { BusModule } from '@yardstick/bus';
import { HealthModule, ReadinessRegistry } from '@yardstick/service-runtime';
import { ScorerEnv } from './config/scorer.env';
import { ScoringModule } from './scoring/scoring.module';

@Global()
@Module({})
export class AppModule {
  static register(env: ScorerEnv): DynamicModule {
    return {
      module: AppModule,
      imports: [
        HealthModule,
        BusModule.forRoot({ servers: env.NATS_URL, prefix: env.BUS_PREFIX, serviceName: 'scorer', defaultConcurrency: env.HANDLER_CONCURRENCY }),
        BlobStoreModule.forRoot(),
        ScoringModule,
      ],
      providers: [
        {
          provide: 'BLOB_STORE_READINESS',
          inject: [BLOB_STORE, ReadinessRegistry],
          useFactory: (store: BlobStore, readiness: ReadinessRegistry) => readiness.register({ name: 'blob-store', check: () => store.ping() }),
        },
        { provide: ScorerEnv, useValue: env },
      ],
      exports: [ScorerEnv],
    };
  }
}
