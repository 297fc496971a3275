import { Module } from '@nestjs/common';
import { OrchestratorEnv } from '../config/orchestrator.env';
import { RunsModule } from '../runs/runs.module';
import { BatchInputWriter } from './batch-input.writer';
import { BatchPoller } from './batch-poller';
import { BatchResultsIngester } from './batch-results.ingester';
import { BatchSettings } from './batch-settings';
import { StageBatchesRepository } from './stage-batches.repository';

/** Batch mode: a run's responses go through the provider's Batch API (docs/state-machine.md, "Batch mode"). */
@Module({
  imports: [RunsModule],
  providers: [
    {
      provide: BatchSettings,
      inject: [OrchestratorEnv],
      useFactory: (env: OrchestratorEnv) => new BatchSettings(
        env.BATCH_TICK_MS, env.BATCH_POLL_MIN_MS, env.BATCH_POLL_MAX_MS, env.BATCH_MAX_REQUESTS, env.BATCH_MAX_BYTES, env.BATCH_RETRY_MODE,
        env.BATCH_ITEM_LEASE_MS, env.BATCH_LEASE_MS,
      ),
    },
    StageBatchesRepository,
    BatchInputWriter,
    BatchResultsIngester,
    BatchPoller,
  ],
})
export class BatchesModule {}
