import { Type } from 'class-transformer';
import { IsIn, IsInt, IsNumber, IsObject, IsOptional, IsString, IsUUID, Min, ValidateNested } from 'class-validator';
import { RunConfigSnapshot } from '../rpc/runs.rpc';

/** Lifecycle of an experiment (a sweep over configs). Stored in Postgres and returned by the API as is. */
export enum ExperimentStatus {
  /** Created; its configs count and cost estimate can be read before starting. */
  Draft = 'draft',
  Running = 'running',
  /** No new config is started and the experiment's runs are paused. */
  Paused = 'paused',
  /** The strategy has nothing more to try and every run finished. */
  Completed = 'completed',
  /** Stopped by a user: unfinished runs are cancelled. */
  Stopped = 'stopped',
  /** The next config does not fit in the budget (or spending reached it): unfinished runs are cancelled. */
  BudgetExhausted = 'budget_exhausted',
}

export const TERMINAL_EXPERIMENT_STATUSES: readonly ExperimentStatus[] = [
  ExperimentStatus.Completed, ExperimentStatus.Stopped, ExperimentStatus.BudgetExhausted,
];

/** Common part of every eval.experiment.* event. */
export class ExperimentEventBase {
  @IsUUID() experimentId!: string;
  @IsUUID() projectId!: string;
  @IsString() name!: string;
}

/** eval.experiment.started: a draft experiment was started. */
export class ExperimentStartedEvent extends ExperimentEventBase {
  @IsString() strategy!: string;
  @IsString() startedAt!: string;
}

/** eval.experiment.config_started: a sampled config was recorded and its run created. */
export class ExperimentConfigStartedEvent extends ExperimentEventBase {
  /** The experiment config (experiment_configs.id). */
  @IsUUID() configId!: string;
  @IsUUID() runId!: string;
  @IsInt() @Min(1) ordinal!: number;
  /** The sampled parameters (model, temperature, …). */
  @IsObject() params!: Record<string, unknown>;
  @IsString() configHash!: string;
  /** The resolved config the run evaluates: the base config with `params` applied. */
  @ValidateNested() @Type(() => RunConfigSnapshot) config!: RunConfigSnapshot;
  /** The gateway config (named `experiment: <name>`) that keeps this experiment's configs as versions; null for older experiments. */
  @IsOptional() @IsUUID() savedConfigId!: string | null;
}

/** eval.experiment.config_completed (and eval.experiment.new_best when it is the best so far). */
export class ExperimentConfigCompletedEvent extends ExperimentEventBase {
  @IsUUID() configId!: string;
  @IsUUID() runId!: string;
  @IsInt() @Min(1) ordinal!: number;
  /** The resolved parameters of this config (model, temperature, …). */
  @IsObject() params!: Record<string, unknown>;
  /** The run's final status (completed, failed, cancelled). */
  @IsString() runStatus!: string;
  /** Mean weighted item score; null when no item was scored. */
  @IsOptional() @IsNumber() score!: number | null;
  @IsNumber() costUsd!: number;
}

/** eval.experiment.completed / stopped / budget_exhausted: the experiment reached a final status. */
export class ExperimentFinishedEvent extends ExperimentEventBase {
  @IsIn(TERMINAL_EXPERIMENT_STATUSES) status!: ExperimentStatus;
  @IsOptional() @IsString() reason!: string | null;
  @IsInt() @Min(0) configsCompleted!: number;
  @IsOptional() @IsUUID() bestConfigId!: string | null;
  @IsOptional() @IsNumber() bestScore!: number | null;
  @IsNumber() spentCostUsd!: number;
  @IsInt() @Min(0) spentTokens!: number;
  @IsString() finishedAt!: string;
}
