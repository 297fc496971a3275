import { Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsNotEmpty, IsNumber, IsObject, IsOptional, IsString, IsUUID, Max, MaxLength, Min,
  ValidateNested,
} from 'class-validator';
import { CacheMode, RunMode } from '../enums';
import { ExperimentStatus } from '../payloads/experiments';
import { ScorerSpec } from '../payloads/scoring';
import { RunConfigSnapshot, RunDatasetRef } from './runs.rpc';

/** Config fields an experiment can vary; public names (snake_case), also the keys of a config's `params`. */
export const EXPERIMENT_PARAMETERS = [
  'model', 'prompt_template', 'instructions', 'temperature', 'top_p', 'max_output_tokens', 'seed', 'embedding_model',
] as const;
export type ExperimentParameterName = (typeof EXPERIMENT_PARAMETERS)[number];
export type ParameterValue = string | number;
/** One point of the parameter space: a value for every varied parameter. */
export type ParameterPoint = Partial<Record<ExperimentParameterName, ParameterValue>>;

export enum SweepStrategy {
  /** Every combination of discrete values and stepped ranges. */
  Grid = 'grid',
  /** `samples` points drawn with a seeded PRNG. */
  Random = 'random',
  /** Waves that exploit the best configs' neighbours and explore at random. */
  Guided = 'guided',
}

export enum ParameterDistribution {
  Uniform = 'uniform',
  LogUniform = 'log_uniform',
  IntUniform = 'int_uniform',
}

/** One varied parameter: `values`, or `min`/`max` with `step` (a range), or `min`/`max` with `distribution`. */
export class ParameterSpec {
  @IsIn(EXPERIMENT_PARAMETERS) name!: ExperimentParameterName;
  @IsOptional() @IsArray() @ArrayMinSize(1) @ArrayMaxSize(200) values?: ParameterValue[];
  @IsOptional() @IsNumber() min?: number;
  @IsOptional() @IsNumber() max?: number;
  @IsOptional() @IsNumber() step?: number;
  @IsOptional() @IsIn(Object.values(ParameterDistribution)) distribution?: ParameterDistribution;
}

export class StrategySpec {
  @IsIn(Object.values(SweepStrategy)) kind!: SweepStrategy;
  /** random/guided: how many configs to run at most. */
  @IsOptional() @IsInt() @Min(1) @Max(10_000) samples?: number;
  @IsOptional() @IsInt() @Min(0) seed?: number;
  /** guided: how many of the best configs a wave exploits. */
  @IsOptional() @IsInt() @Min(1) @Max(100) topK?: number;
  /** guided: share of each wave drawn at random (exploration). */
  @IsOptional() @IsNumber() @Min(0) @Max(1) exploreShare?: number;
  /** guided: configs per wave (default: max concurrent runs). */
  @IsOptional() @IsInt() @Min(1) @Max(100) waveSize?: number;
  /** guided: stop after this many waves without a better best score. */
  @IsOptional() @IsInt() @Min(1) @Max(100) patienceWaves?: number;
}

export class ExperimentBudget {
  @IsOptional() @IsNumber() @Min(0) maxCostUsd?: number;
  @IsOptional() @IsInt() @Min(0) maxTokens?: number;
}

/** USD per one million tokens, used for the experiment's cost estimates and budget reservations. */
export class ModelPriceSpec {
  @IsNumber() @Min(0) input!: number;
  @IsNumber() @Min(0) output!: number;
}

export class CreateExperimentRequest {
  @IsUUID() projectId!: string;
  @IsString() @IsNotEmpty() @MaxLength(120) name!: string;
  @ValidateNested() @Type(() => RunDatasetRef) dataset!: RunDatasetRef;
  /** The config version the sweep starts from; every experiment config is this one with the sampled parameters applied. */
  @ValidateNested() @Type(() => RunConfigSnapshot) baseConfig!: RunConfigSnapshot;
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(20) @ValidateNested({ each: true }) @Type(() => ParameterSpec) space!: ParameterSpec[];
  @ValidateNested() @Type(() => StrategySpec) strategy!: StrategySpec;
  @IsArray() @ArrayMinSize(1) @ValidateNested({ each: true }) @Type(() => ScorerSpec) scorers!: ScorerSpec[];
  @IsIn(Object.values(RunMode)) runMode!: RunMode;
  @IsOptional() @IsIn(Object.values(CacheMode)) cacheMode?: CacheMode;
  @ValidateNested() @Type(() => ExperimentBudget) budget!: ExperimentBudget;
  /** Prices per model (and embedding model); required for every model when a cost budget is set. */
  @IsOptional() @IsObject() prices?: Record<string, ModelPriceSpec>;
  @IsInt() @Min(1) @Max(50) maxConcurrentRuns!: number;
  /** The gateway config (named `experiment: <name>`) each sampled config is saved to as a version (eval.experiment.config_started). */
  @IsOptional() @IsUUID() savedConfigId?: string;
}

export class ExperimentRequest {
  @IsUUID() projectId!: string;
  @IsUUID() experimentId!: string;
}

export class ListExperimentsRequest {
  @IsUUID() projectId!: string;
  @IsInt() @Min(1) @Max(500) limit!: number;
  @IsInt() @Min(0) offset!: number;
}

/** Shown before a start: how many configs, and the worst-case tokens and cost (null without prices). */
export interface ExperimentEstimate {
  configsTotal: number;
  itemsPerConfig: number;
  tokens: number;
  costUsd: number | null;
  /** The grid's cap (EXPERIMENT_MAX_CONFIGS). */
  configsLimit: number;
}

export interface ExperimentConfigView {
  id: string;
  ordinal: number;
  wave: number;
  params: ParameterPoint;
  configHash: string;
  runId: string | null;
  /** creating | running | paused | completed | failed | cancelled */
  status: string;
  score: number | null;
  costUsd: number;
  reservedCostUsd: number | null;
  reservedTokens: number;
}

export interface ExperimentView {
  id: string;
  projectId: string;
  name: string;
  status: ExperimentStatus;
  statusReason: string | null;
  datasetId: string;
  baseConfig: RunConfigSnapshot;
  /** The gateway config holding this experiment's configs as versions; null for experiments created before it existed. */
  savedConfigId: string | null;
  space: ParameterSpec[];
  strategy: StrategySpec;
  scorers: ScorerSpec[];
  runMode: RunMode;
  budget: ExperimentBudget;
  maxConcurrentRuns: number;
  estimate: ExperimentEstimate;
  spent: { costUsd: number; tokens: number };
  best: { configId: string; score: number } | null;
  configs: ExperimentConfigView[];
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface LeaderboardEntry {
  rank: number;
  configId: string;
  ordinal: number;
  runId: string | null;
  params: ParameterPoint;
  /** The full resolved config this entry ran with. */
  config: RunConfigSnapshot;
  status: string;
  score: { mean: number | null; std: number | null; count: number; ci95: [number, number] | null };
  itemsTotal: number;
  itemsFailed: number;
  costUsd: number;
  tokens: { input: number; output: number; total: number };
  latencyMs: { p50: number | null; p95: number | null };
  durationMs: number | null;
}

export interface LeaderboardView {
  experimentId: string;
  /** How scores are computed and ranked, in words (also in docs/experiments.md). */
  formula: { itemScore: string; configScore: string; missingScores: string; confidenceInterval: string; ranking: string };
  entries: LeaderboardEntry[];
}
