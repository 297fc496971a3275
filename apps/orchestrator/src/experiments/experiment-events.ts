import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ExperimentConfigCompletedEvent, ExperimentStatus, Subjects } from '@yardstick/contracts';
import { OutboxRelay } from '../outbox/outbox.relay';
import { ExperimentConfigRow, ExperimentRow } from './experiment-row';
import { ExperimentsRepository } from './experiments.repository';

const FINISHED_SUBJECT = {
  [ExperimentStatus.Completed]: Subjects.ExperimentCompleted,
  [ExperimentStatus.Stopped]: Subjects.ExperimentStopped,
  [ExperimentStatus.BudgetExhausted]: Subjects.ExperimentBudgetExhausted,
} as const;

export type FinishedExperimentStatus = keyof typeof FINISHED_SUBJECT;

export type ExperimentConfigStart = Pick<ExperimentConfigRow, 'id' | 'ordinal' | 'params' | 'config' | 'configHash'> & { runId: string };

/**
 * The eval.experiment.* events, written to the outbox in the transaction that makes them true. Their ids are
 * derived from what happened (`<experiment>:started`, `<config>:config_completed`, …), so a replay adds nothing.
 */
@Injectable()
export class ExperimentEvents {
  constructor(
    private readonly outbox: OutboxRelay,
    private readonly experiments: ExperimentsRepository,
  ) {}

  async started(manager: EntityManager, experiment: ExperimentRow): Promise<void> {
    await this.outbox.enqueue(manager, Subjects.ExperimentStarted, {
      ...base(experiment), strategy: experiment.strategy.kind, startedAt: new Date().toISOString(),
    }, `${experiment.id}:started`, experiment.id);
  }

  /** A sampled config's run was created: the gateway saves the config as a version of the experiment's config. */
  async configStarted(manager: EntityManager, experiment: ExperimentRow, config: ExperimentConfigStart): Promise<void> {
    await this.outbox.enqueue(manager, Subjects.ExperimentConfigStarted, {
      ...base(experiment), configId: config.id, runId: config.runId, ordinal: config.ordinal, params: config.params,
      configHash: config.configHash, config: config.config, savedConfigId: experiment.savedConfigId,
    }, `${config.id}:config_started`, experiment.id);
  }

  async configCompleted(manager: EntityManager, event: ExperimentConfigCompletedEvent, newBest: boolean): Promise<void> {
    await this.outbox.enqueue(manager, Subjects.ExperimentConfigCompleted, event, `${event.configId}:config_completed`, event.experimentId);
    if (newBest) await this.outbox.enqueue(manager, Subjects.ExperimentNewBest, event, `${event.configId}:new_best`, event.experimentId);
  }

  async finished(manager: EntityManager, experiment: ExperimentRow, status: FinishedExperimentStatus, reason: string | null): Promise<void> {
    const spending = await this.experiments.spending(experiment.id, manager);
    const configs = await this.experiments.configs(experiment.id, manager);
    const current = await this.experiments.find(experiment.id, undefined, manager);
    await this.outbox.enqueue(manager, FINISHED_SUBJECT[status], {
      ...base(experiment), status, reason,
      configsCompleted: configs.filter((c) => c.status === 'completed').length,
      bestConfigId: current?.bestConfigId ?? null, bestScore: current?.bestScore ?? null,
      spentCostUsd: spending.spentCostUsd, spentTokens: spending.spentTokens, finishedAt: new Date().toISOString(),
    }, `${experiment.id}:finished`, experiment.id);
  }
}

function base(experiment: ExperimentRow) {
  return { experimentId: experiment.id, projectId: experiment.projectId, name: experiment.name };
}
