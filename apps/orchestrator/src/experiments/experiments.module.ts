import { Module } from '@nestjs/common';
import { OrchestratorEnv } from '../config/orchestrator.env';
import { RunsModule } from '../runs/runs.module';
import { ExperimentEvents } from './experiment-events';
import { ExperimentLock } from './experiment-lock';
import { ExperimentSettings } from './experiment-settings';
import { ExperimentViews } from './experiment-views';
import { ExperimentsRepository } from './experiments.repository';
import { ExperimentsRpcHandler } from './experiments.rpc-handler';
import { ExperimentsService } from './experiments.service';
import { LeaderboardRepository } from './leaderboard.repository';
import { SweepDriver } from './sweep-driver';

@Module({
  imports: [RunsModule],
  providers: [
    {
      provide: ExperimentSettings,
      inject: [OrchestratorEnv],
      useFactory: (env: OrchestratorEnv) => new ExperimentSettings(env.EXPERIMENT_MAX_CONFIGS, env.EXPERIMENT_TICK_MS, env.DEFAULT_FAILURE_THRESHOLD),
    },
    ExperimentsRepository,
    LeaderboardRepository,
    ExperimentLock,
    ExperimentEvents,
    ExperimentViews,
    ExperimentsService,
    SweepDriver,
    ExperimentsRpcHandler,
  ],
})
export class ExperimentsModule {}
