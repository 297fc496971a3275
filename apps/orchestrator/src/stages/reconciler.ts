import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { OutboxRelay } from '../outbox/outbox.relay';
import { RunFinalizer } from '../runs/run-finalizer';
import { RunResultsExporter } from '../runs/run-results.exporter';
import { ItemProgressService } from './item-progress.service';
import { ItemStageRepository } from './item-stage.repository';
import { StageSettings } from './stage-settings';
import { WorkDispatcher } from './work-dispatcher';
import { PeriodicTick } from '../periodic-tick';

const CLAIM_BATCH = 500;

/**
 * The periodic safety net that makes Postgres, not the bus, the source of truth. Any replica may run it:
 * every step claims rows with FOR UPDATE SKIP LOCKED or a compare-and-set. It re-drives due retries and
 * expired leases, tops runs up to their in-flight cap, finishes runs whose last event was lost, relays unpublished outbox rows and exports results.
 */
@Injectable()
export class Reconciler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(Reconciler.name);
  private readonly ticks = new PeriodicTick(() => this.tick());

  constructor(
    private readonly dataSource: DataSource,
    private readonly stages: ItemStageRepository,
    private readonly dispatcher: WorkDispatcher,
    private readonly finalizer: RunFinalizer,
    private readonly outbox: OutboxRelay,
    private readonly exporter: RunResultsExporter,
    private readonly settings: StageSettings,
    private readonly progress: ItemProgressService,
    private readonly intervalMs: number,
  ) {}

  onApplicationBootstrap(): void {
    this.ticks.start(this.intervalMs);
  }

  async onModuleDestroy(): Promise<void> {
    await this.ticks.stop();
  }

  async tick(): Promise<void> {
    try {
      await this.progress.failExhaustedLeases(CLAIM_BATCH);
      for (;;) {
        const due = await this.stages.claimDue(CLAIM_BATCH, this.settings.leaseMs);
        if (due.length) this.logger.log(`re-driving ${due.length} items (retries, expired leases, undispatched)`);
        await this.dispatcher.dispatch(due);
        if (due.length < CLAIM_BATCH) break;
      }
      for (const { runId, room } of await this.stages.roomToDispatch(this.settings.maxInFlightPerRun)) {
        if (room > 0) await this.dispatcher.dispatch(await this.stages.claimPending(runId, Math.min(room, CLAIM_BATCH), this.settings.leaseMs));
      }
      const idle: Array<{ id: string }> = await this.dataSource.query(
        `SELECT r.id FROM evaluation_runs r WHERE r.status IN ('running', 'paused')
           AND NOT EXISTS (SELECT 1 FROM run_items i WHERE i.run_id = r.id AND i.state = 'in_progress') LIMIT 100`,
      );
      for (const { id } of idle) await this.finalizer.check(id);
      while ((await this.outbox.relay()) > 0);
      const unexported: Array<{ id: string }> = await this.dataSource.query(
        `SELECT id FROM evaluation_runs WHERE status IN ('completed', 'failed', 'cancelled') AND results_exported_at IS NULL LIMIT 10`,
      );
      for (const { id } of unexported) await this.exporter.export(id);
    } catch (error) {
      this.logger.warn(`reconcile pass failed, next pass retries: ${(error as Error).message}`);
    }
  }
}
