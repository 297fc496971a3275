import { DynamicModule, Global, Module } from '@nestjs/common';
import { BusModule } from '@yardstick/bus';
import { HealthModule } from '@yardstick/service-runtime';
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
        ScoringModule,
      ],
      providers: [{ provide: ScorerEnv, useValue: env }],
      exports: [ScorerEnv],
    };
  }
}
