import { Type } from 'class-transformer';
import {
  ArrayMinSize, IsArray, IsIn, IsInt, IsNotEmpty, IsNumber, IsOptional, IsString, IsUUID, Max, MaxLength, Min, ValidateNested,
} from 'class-validator';
import { CacheMode, ItemStageState, ItemState, RunMode, RunStatus, Stage } from '../enums';
import { ModelParams, TokenUsage } from '../payloads/common';
import { RunCost, ScoreSummary } from '../payloads/runs';
import { ScorerSpec } from '../payloads/scoring';

export class RunDatasetRef {
  @IsUUID() id!: string;
  @IsString() name!: string;
  /** Blob-store key of the dataset's normalized items (JSON lines of DatasetItemRecord). */
  @IsString() @IsNotEmpty() itemsBlobKey!: string;
  @IsInt() @Min(1) totalItems!: number;
}

/** One line of a dataset's normalized items blob. */
export interface DatasetItemRecord {
  id: string;
  index: number;
  replicate: number;
  question: string;
  answer: string;
  category: string | null;
}

/** One stage of a prompt pipeline: its own model, parameters and (Nunjucks) template. */
export class PipelineStep {
  /** Unique in the pipeline, `[a-z][a-z0-9_]*`: later templates read `stages.<name>.output`. */
  @IsString() @IsNotEmpty() name!: string;
  @IsString() @IsNotEmpty() model!: string;
  @IsOptional() @IsString() instructions?: string;
  @IsString() @IsNotEmpty() promptTemplate!: string;
  @ValidateNested() @Type(() => ModelParams) params!: ModelParams;
}

export class RunConfigSnapshot {
  @IsUUID() configId!: string;
  @IsInt() @Min(1) version!: number;
  /** The model of the (last) stage whose output is scored. */
  @IsString() @IsNotEmpty() model!: string;
  @IsOptional() @IsString() instructions?: string;
  /** The single stage's template; absent when `pipeline` is set. */
  @IsOptional() @IsString() @IsNotEmpty() promptTemplate?: string;
  /** Ordered stages run one after another for each item; absent = one stage from model/instructions/promptTemplate/params. */
  @IsOptional() @IsArray() @ArrayMinSize(1) @ValidateNested({ each: true }) @Type(() => PipelineStep) pipeline?: PipelineStep[];
  @ValidateNested() @Type(() => ModelParams) params!: ModelParams;
  @IsString() @IsNotEmpty() embeddingModel!: string;
  /** The project's provider endpoint; absent = the deployment's default endpoint. */
  @IsOptional() @IsUUID() providerEndpointId?: string;
}

export class CreateRunRequest {
  @IsUUID() projectId!: string;
  @IsString() @IsNotEmpty() @MaxLength(200) runName!: string;
  @IsIn(Object.values(RunMode)) runMode!: RunMode;
  @ValidateNested() @Type(() => RunDatasetRef) dataset!: RunDatasetRef;
  @ValidateNested() @Type(() => RunConfigSnapshot) config!: RunConfigSnapshot;
  @IsArray() @ArrayMinSize(1) @ValidateNested({ each: true }) @Type(() => ScorerSpec) scorers!: ScorerSpec[];
  @IsOptional() @IsNumber() @Min(0) @Max(1) failureThreshold?: number;
  @IsOptional() @IsIn(Object.values(CacheMode)) cacheMode?: CacheMode;
}

export class GetRunRequest {
  @IsUUID() projectId!: string;
  @IsUUID() runId!: string;
}

export class ListRunsRequest {
  @IsUUID() projectId!: string;
  @IsInt() @Min(1) @Max(500) limit!: number;
  @IsInt() @Min(0) offset!: number;
  @IsOptional() @IsIn(Object.values(RunStatus)) status?: RunStatus;
}

export class ListRunItemsRequest extends ListRunsRequest {
  @IsUUID() runId!: string;
}

export type StageProgress = Record<ItemStageState, number>;

export interface RunView {
  id: string;
  projectId: string;
  runName: string;
  runMode: RunMode;
  status: RunStatus;
  datasetId: string;
  configId: string;
  configVersion: number;
  itemsTotal: number;
  progress: Record<Stage, StageProgress>;
  itemsSucceeded: number;
  itemsFailed: number;
  score: ScoreSummary;
  usage: TokenUsage;
  cost: RunCost;
  failureThreshold: number;
  error: string | null;
  /** Why the run is paused, when it is. */
  pausedReason: string | null;
  /** 1, then one more for every retry of the run. */
  attempt: number;
  cacheMode: CacheMode;
  /** What the response cache did for this run. */
  cache: { hits: number; savedTokens: number; savedCostUsd: number };
  /** Problems worth knowing that did not fail the run (e.g. the cache was unreachable). */
  warnings: string[];
  /** How the run executes: `fast`, `batch` (the provider's Batch API), or `fast_fallback` (a batch run on an endpoint without one). */
  execution: 'fast' | 'batch' | 'fast_fallback';
  createdAt: string;
  startedAt: string | null;
  completedAt: string | null;
}

export interface ItemStageView {
  stage: Stage;
  state: ItemStageState;
  attempt: number;
  usage: TokenUsage | null;
  latencyMs: number | null;
  costUsd: number;
  cacheHit: boolean;
  error: { code: string; message: string } | null;
}

/** One pipeline stage of an item's responses stage. */
export interface PipelineStepView {
  name: string;
  model: string;
  output: string;
  usage: TokenUsage;
  costUsd: number;
  latencyMs: number;
  cacheHit: boolean;
}

export interface RunItemView {
  id: string;
  index: number;
  replicate: number;
  datasetItemId: string;
  category: string | null;
  question: string;
  groundTruth: string;
  output: string | null;
  state: ItemState;
  score: number | null;
  scores: Record<string, number>;
  /** Scorers that ran but had no score for the item (an unreadable llm_judge answer), by scorer. */
  scorerErrors?: Record<string, { code: string; message: string }>;
  /** The pass/fail verdicts of the scorers that give one (exact_match, regex, …; cosine and llm_judge only with a threshold), by scorer. */
  verdicts?: Record<string, boolean>;
  /** People's scores of the item (POST …/items/:item_id/scores), one per rater. */
  humanScores?: Array<{ rater: string; value: number; comment: string | null }>;
  usage: TokenUsage;
  latencyMs: number | null;
  costUsd: number;
  stages: ItemStageView[];
  /** The prompt pipeline's finished stages, in order (one for a single-stage config). */
  pipelineSteps?: PipelineStepView[];
  error: { stage: Stage; code: string; message: string } | null;
}

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}
