import { DynamicModule, Global, Module } from '@nestjs/common';
import { BlobStoreModule } from '@yardstick/blob-store';
import { BusModule } from '@yardstick/bus';
import { PersistenceModule } from '@yardstick/persistence';
import { HealthModule } from '@yardstick/service-runtime';
import { CallsModule } from './calls/calls.module';
import { LlmCallerEnv } from './config/llm-caller.env';
import { llmCallerPersistence } from './llm-caller.persistence';
import { RedisModule } from './redis.module';

@Global()
@Module({})
export class AppModule {
  static register(env: LlmCallerEnv): DynamicModule {
    return {
      module: AppModule,
      imports: [
        HealthModule,
        PersistenceModule.forRoot(llmCallerPersistence(env)),
        BusModule.forRoot({ servers: env.NATS_URL, prefix: env.BUS_PREFIX, serviceName: 'llm-caller', defaultConcurrency: env.PROVIDER_CONCURRENCY }),
        RedisModule,
        BlobStoreModule.forRoot(),
        CallsModule,
      ],
      providers: [{ provide: LlmCallerEnv, useValue: env }],
      exports: [LlmCallerEnv],
    };
  }
}
