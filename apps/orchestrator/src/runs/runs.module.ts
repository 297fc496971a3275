import { Module } from '@nestjs/common';
import { OutboxRelay } from '../outbox/outbox.relay';
import { ItemEventsHandler } from '../stages/item-events.handler';
import { ItemProgressService } from '../stages/item-progress.service';
import { ScoredPageRecorder } from '../stages/scored-page.recorder';
import { ItemStageRepository } from '../stages/item-stage.repository';
import { ItemResultsRepository } from '../stages/item-results.repository';
import { RunScorersCache } from '../stages/run-scorers.cache';
import { PipelineStepsRepository } from '../stages/pipeline-steps.repository';
import { PipelineStepsService } from '../stages/pipeline-steps.service';
import { Reconciler } from '../stages/reconciler';
import { StageSettings } from '../stages/stage-settings';
import { WorkDispatcher } from '../stages/work-dispatcher';
import { OrchestratorEnv } from '../config/orchestrator.env';
import { ExperimentLiveEvents } from '../live/experiment-live-events';
import { ExperimentLiveRepository } from '../live/experiment-live.repository';
import { RunLiveEvents } from '../live/run-live-events';
import { RunLiveRepository } from '../live/run-live.repository';
import { RunAggregatesRepository } from './run-aggregates.repository';
import { RunCreationService } from './run-creation.service';
import { RunFinalizer } from './run-finalizer';
import { RunResultsExporter } from './run-results.exporter';
import { RunViewsRepository } from './run-views.repository';
import { RunsRpcHandler } from './runs.rpc-handler';
import { RunControlService } from './run-control.service';
import { DataSource } from 'typeorm';

@Module({
  providers: [
    {
      provide: StageSettings,
      inject: [OrchestratorEnv],
      useFactory: (env: OrchestratorEnv) => new StageSettings(env.ITEM_LEASE_MS, {
        maxAttempts: env.MAX_ATTEMPTS, baseDelayMs: env.RETRY_BASE_DELAY_MS, maxDelayMs: env.RETRY_MAX_DELAY_MS,
      }, env.MAX_IN_FLIGHT_PER_RUN, env.FAILURE_MIN_FINISHED_ITEMS),
    },
    {
      provide: Reconciler,
      inject: [DataSource, ItemStageRepository, WorkDispatcher, RunFinalizer, OutboxRelay, RunResultsExporter, StageSettings, ItemProgressService, OrchestratorEnv],
      useFactory: (ds, stages, dispatcher, finalizer, outbox, exporter, settings, progress, env: OrchestratorEnv) =>
        new Reconciler(ds, stages, dispatcher, finalizer, outbox, exporter, settings, progress, env.RECONCILE_INTERVAL_MS),
    },
    OutboxRelay,
    ItemStageRepository,
    ItemResultsRepository,
    RunScorersCache,
    PipelineStepsRepository,
    PipelineStepsService,
    WorkDispatcher,
    ItemProgressService,
    ItemEventsHandler,
    ScoredPageRecorder,
    RunAggregatesRepository,
    RunCreationService,
    RunFinalizer,
    RunResultsExporter,
    RunViewsRepository,
    RunsRpcHandler,
    RunControlService,
    RunLiveEvents,
    RunLiveRepository,
    ExperimentLiveEvents,
    ExperimentLiveRepository,
  ],
  exports: [RunCreationService, RunControlService, OutboxRelay, ItemProgressService, ExperimentLiveEvents],
})
export class RunsModule {}
