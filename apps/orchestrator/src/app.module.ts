import { DynamicModule, Global, Module } from '@nestjs/common';
import { BLOB_STORE, BlobStore, BlobStoreModule } from '@yardstick/blob-store';
import { BusModule } from '@yardstick/bus';
import { PersistenceModule } from '@yardstick/persistence';
import { HealthModule, ReadinessRegistry } from '@yardstick/service-runtime';
import { OrchestratorEnv } from './config/orchestrator.env';
import { orchestratorPersistence } from './orchestrator.persistence';
import { RunsModule } from './runs/runs.module';
import { BatchesModule } from './batches/batches.module';
import { ExperimentsModule } from './experiments/experiments.module';
import { ResultsModule } from './results/results.module';

@Global()
@Module({})
export class AppModule {
  static register(env: OrchestratorEnv): DynamicModule {
    return {
      module: AppModule,
      imports: [
        HealthModule,
        PersistenceModule.forRoot(orchestratorPersistence(env)),
        BusModule.forRoot({ servers: env.NATS_URL, prefix: env.BUS_PREFIX, serviceName: 'orchestrator', defaultConcurrency: env.HANDLER_CONCURRENCY }),
        BlobStoreModule.forRoot(),
        RunsModule,
        BatchesModule,
        ExperimentsModule,
        ResultsModule,
      ],
      providers: [
        {
          provide: 'BLOB_STORE_READINESS',
          inject: [BLOB_STORE, ReadinessRegistry],
          useFactory: (store: BlobStore, readiness: ReadinessRegistry) => readiness.register({ name: 'blob-store', check: () => store.ping() }),
        },
        { provide: OrchestratorEnv, useValue: env }],
      exports: [OrchestratorEnv],
    };
  }
}
