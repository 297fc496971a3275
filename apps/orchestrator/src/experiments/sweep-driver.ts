import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ExperimentStatus, RunStatus, ServiceErrorCode, ServiceException } from '@yardstick/contracts';
import { ExperimentLiveEvents } from '../live/experiment-live-events';
import { OutboxRelay } from '../outbox/outbox.relay';
import { RunControlService } from '../runs/run-control.service';
import { RunCreationService } from '../runs/run-creation.service';
import { configHash, estimateRun, resolveConfig } from './experiment-config';
import { ExperimentEvents, FinishedExperimentStatus } from './experiment-events';
import { ExperimentLock } from './experiment-lock';
import { ExperimentRow, ExperimentSpending } from './experiment-row';
import { ExperimentSettings } from './experiment-settings';
import { ExperimentsRepository } from './experiments.repository';
import { parseSpace } from './strategies/parameter-space';
import { planNext } from './strategies/sweep-planner';
import { PeriodicTick } from '../periodic-tick';

const ACTIVE_RUN = [RunStatus.Running, RunStatus.Paused];

/**
 * Moves every experiment forward from what Postgres says, on a timer, on any replica (one pass per experiment at a
 * time, under its advisory lock): harvests finished runs, enforces the budget, asks the strategy for the next configs
 * and creates their runs up to the concurrency. A restarted orchestrator simply continues from the tables.
 */
@Injectable()
export class SweepDriver implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(SweepDriver.name);
  private readonly ticks = new PeriodicTick(() => this.tick());

  constructor(
    private readonly dataSource: DataSource,
    private readonly experiments: ExperimentsRepository,
    private readonly lock: ExperimentLock,
    private readonly events: ExperimentEvents,
    private readonly creation: RunCreationService,
    private readonly control: RunControlService,
    private readonly outbox: OutboxRelay,
    private readonly settings: ExperimentSettings,
    private readonly live: ExperimentLiveEvents,
  ) {}

  onApplicationBootstrap(): void {
    this.ticks.start(this.settings.tickMs);
  }

  async onModuleDestroy(): Promise<void> {
    await this.ticks.stop();
  }

  async tick(): Promise<void> {
    try {
      for (const id of await this.experiments.needingAttention(50)) {
        await this.lock.withLock(id, () => this.advance(id), false);
      }
      await this.outbox.relay();
    } catch (error) {
      this.logger.warn(`experiment pass failed, the next pass retries: ${(error as Error).message}`);
    }
  }

  /** One pass over one experiment; the caller holds its lock. */
  async advance(id: string): Promise<void> {
    await this.harvest(id);
    const experiment = await this.experiments.find(id);
    if (!experiment) return;
    await this.experiments.touch(id);
    switch (experiment.status) {
      case ExperimentStatus.Draft:
        return;
      case ExperimentStatus.Paused:
        // Converges after a crash between the status change and the runs' pauses.
        return this.eachRun(id, [RunStatus.Running], (runId) => this.control.pause(experiment.projectId, runId));
      case ExperimentStatus.Running:
        return this.sweep(experiment);
      default:
        return this.eachRun(id, ACTIVE_RUN, (runId) => this.control.cancel(experiment.projectId, runId));
    }
  }

  /** Ends the experiment with a final status and event, then cancels its unfinished runs. */
  async finish(experiment: ExperimentRow, status: FinishedExperimentStatus, reason: string | null): Promise<boolean> {
    const moved = await this.dataSource.transaction(async (manager) => {
      const from = [ExperimentStatus.Draft, ExperimentStatus.Running, ExperimentStatus.Paused];
      if (!(await this.experiments.transition(manager, experiment.id, from, status, reason))) return false;
      await this.events.finished(manager, experiment, status, reason);
      return true;
    });
    if (moved) {
      this.logger.log(`experiment ${experiment.name} (${experiment.id}) ${status}${reason ? `: ${reason}` : ''}`);
      await this.eachRun(experiment.id, ACTIVE_RUN, (runId) => this.control.cancel(experiment.projectId, runId));
      await this.outbox.relay();
    }
    return moved;
  }

  /** Applies a run transition to each of the experiment's runs in those statuses; a run that moved meanwhile is skipped. */
  async eachRun(experimentId: string, statuses: RunStatus[], apply: (runId: string) => Promise<void>): Promise<void> {
    for (const runId of await this.experiments.runIds(experimentId, statuses)) {
      await apply(runId).catch((error) => {
        if (!(error instanceof ServiceException && error.code === ServiceErrorCode.Conflict)) throw error;
      });
    }
  }

  /** Records finished runs' results and announces them (config_completed, new_best). */
  private async harvest(id: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const experiment = await this.experiments.find(id, undefined, manager);
      if (!experiment) return;
      for (const config of await this.experiments.harvest(manager, id)) {
        const newBest = config.status === 'completed' && config.score !== null
          && (await this.experiments.offerBest(manager, id, config.id, config.score));
        await this.events.configCompleted(manager, {
          experimentId: id, projectId: experiment.projectId, name: experiment.name, configId: config.id, runId: config.runId!,
          ordinal: config.ordinal, params: config.params, runStatus: config.status, score: config.score, costUsd: config.costUsd,
        }, newBest);
        // Live config_completed / new_best (progress.experiment.<id>) leave when the outbox relays these rows.
      }
    });
  }

  private async sweep(experiment: ExperimentRow): Promise<void> {
    let spending = await this.experiments.spending(experiment.id);
    const exhausted = budgetReached(experiment, spending);
    if (exhausted) {
      await this.finish(experiment, ExperimentStatus.BudgetExhausted, exhausted);
      return;
    }
    const configs = await this.experiments.configs(experiment.id);
    const active = configs.filter((c) => c.status === 'running').length;
    const tried = configs.map((c) => ({ point: c.params, score: c.score, wave: c.wave, finished: c.status !== 'running' }));
    const step = planNext(experiment.strategy, parseSpace(experiment.space), tried, experiment.maxConcurrentRuns - active,
      experiment.maxConcurrentRuns, this.settings.maxConfigs);
    if (step.kind === 'done') {
      if (!active) await this.finish(experiment, ExperimentStatus.Completed, step.reason);
      return;
    }
    if (step.kind === 'wait') return;
    let ordinal = configs.reduce((max, c) => Math.max(max, c.ordinal), 0);
    let started = 0;
    for (const point of step.points) {
      const config = resolveConfig(experiment.baseConfig, point);
      const hash = configHash(config);
      const estimate = estimateRun(config, experiment.datasetStats, experiment.prices);
      const overBy = overBudget(experiment, spending, estimate);
      if (overBy) {
        if (!active && !started) await this.finish(experiment, ExperimentStatus.BudgetExhausted, overBy);
        break;
      }
      const runId = await this.createRun(experiment, config, hash);
      ordinal += 1;
      const row = {
        id: randomUUID(), experimentId: experiment.id, ordinal, wave: step.wave, params: point, config, configHash: hash, runId,
        reservedCostUsd: estimate.costUsd, reservedTokens: estimate.tokens,
      };
      const inserted = await this.dataSource.transaction(async (manager) => {
        if (!(await this.experiments.insertConfig(manager, row, experiment.projectId))) return false;
        await this.events.configStarted(manager, experiment, row);
        return true;
      });
      if (!inserted) continue;
      started += 1;
      spending = {
        ...spending, committedCostUsd: spending.committedCostUsd + (estimate.costUsd ?? 0), committedTokens: spending.committedTokens + estimate.tokens,
      };
      void this.control.dispatchPending(runId).catch(() => undefined);
    }
    if (started) {
      // Relayed first, so a snapshot never precedes the experiment's `started` (published from its outbox row).
      await this.outbox.relay();
      await this.live.progress(experiment.id);
    }
  }

  /** The run name is derived from the config hash: a retry after a crash finds the run it already created. */
  private async createRun(experiment: ExperimentRow, config: ReturnType<typeof resolveConfig>, hash: string): Promise<string> {
    const runName = `${experiment.name} [${experiment.id.slice(0, 8)}:${hash.slice(0, 12)}]`;
    try {
      return await this.creation.create({
        projectId: experiment.projectId, runName, runMode: experiment.runMode, dataset: experiment.dataset, config,
        scorers: experiment.scorers, cacheMode: experiment.cacheMode,
      }, this.settings.defaultFailureThreshold);
    } catch (error) {
      if (!(error instanceof ServiceException && error.code === ServiceErrorCode.RunNameConflict)) throw error;
      const existing = await this.experiments.runIdByName(experiment.projectId, runName);
      if (!existing) throw error;
      return existing;
    }
  }
}

/** Why spending has reached the budget, or null. */
export function budgetReached(experiment: ExperimentRow, spending: ExperimentSpending): string | null {
  const { maxCostUsd, maxTokens } = experiment.budget;
  if (maxCostUsd !== undefined && spending.spentCostUsd >= maxCostUsd) return `spent $${spending.spentCostUsd.toFixed(6)} of the $${maxCostUsd} budget`;
  if (maxTokens !== undefined && spending.spentTokens >= maxTokens) return `used ${spending.spentTokens} of the ${maxTokens} tokens budget`;
  return null;
}

/** Why a run with this worst-case estimate does not fit next to what is committed, or null when it fits. */
export function overBudget(experiment: ExperimentRow, spending: ExperimentSpending, estimate: { tokens: number; costUsd: number | null }): string | null {
  const { maxCostUsd, maxTokens } = experiment.budget;
  if (maxCostUsd !== undefined && spending.committedCostUsd + (estimate.costUsd ?? Infinity) > maxCostUsd) {
    return `the next config may cost up to $${(estimate.costUsd ?? 0).toFixed(6)}; $${(maxCostUsd - spending.committedCostUsd).toFixed(6)} of the budget is left`;
  }
  if (maxTokens !== undefined && spending.committedTokens + estimate.tokens > maxTokens) {
    return `the next config may use up to ${estimate.tokens} tokens; ${maxTokens - spending.committedTokens} of the budget are left`;
  }
  return null;
}
