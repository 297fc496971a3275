import { Type } from 'class-transformer';
import { IsArray, IsBoolean, IsIn, IsInt, IsNotEmpty, IsNumber, IsObject, IsOptional, IsString, IsUUID, Max, Min, ValidateNested } from 'class-validator';
import { CacheMode, ScorerName } from '../enums';
import { CacheOutcome, ItemWorkRef, StageError, TokenUsage } from './common';
import { IsVector } from '../vector.validator';

export class ScorerSpec {
  @IsIn(Object.values(ScorerName)) name!: ScorerName;
  @IsNumber() @Min(0) weight!: number;
  /**
   * The scorer's options, shape per scorer (see scorer-configs.ts); absent = its defaults. Only checked to be an object here:
   * whoever creates a run checks the rest with `scorerConfigProblems`, and the scorer checks again before scoring.
   * Typed `object` (read it with `parseScorerConfig`): TypeORM's insert typing rejects `Record<string, unknown>` in the runs entity.
   */
  @IsOptional() @IsObject() config?: object;
}

export class ScoreItemCommand extends ItemWorkRef {
  @IsArray() @ValidateNested({ each: true }) @Type(() => ScorerSpec) scorers!: ScorerSpec[];
  @IsString() output!: string;
  @IsString() groundTruth!: string;
  @IsOptional() @IsVector() outputEmbedding?: number[];
  @IsOptional() @IsVector() groundTruthEmbedding?: number[];
  /** The item's question: the llm_judge shows it to the judge. */
  @IsOptional() @IsString() question?: string;
  /** The run's cache mode, for the calls a scorer makes (the llm_judge's). */
  @IsOptional() @IsIn(Object.values(CacheMode)) cacheMode?: CacheMode;
}

export class ScorerResult {
  @IsIn(Object.values(ScorerName)) scorer!: ScorerName;
  @IsNumber() @Min(0) @Max(1) value!: number;
  @IsOptional() @IsBoolean() passed?: boolean;
  @IsOptional() @IsObject() details?: Record<string, unknown>;
}

/** A scorer that ran but could not score the item (an unparseable judge answer): shown on the item, left out of its total. */
export class ScorerFailure {
  @IsIn(Object.values(ScorerName)) scorer!: ScorerName;
  @IsString() code!: string;
  @IsString() message!: string;
}

export class ItemScoredEvent extends CacheOutcome {
  @IsArray() @ValidateNested({ each: true }) @Type(() => ScorerResult) results!: ScorerResult[];
  @IsOptional() @IsArray() @ValidateNested({ each: true }) @Type(() => ScorerFailure) errors?: ScorerFailure[];
  /** Tokens, latency and cost of the provider calls scorers made (the llm_judge's); absent when none did. */
  @IsOptional() @ValidateNested() @Type(() => TokenUsage) usage?: TokenUsage;
  @IsOptional() @IsInt() @Min(0) latencyMs?: number;
  @IsOptional() @IsNumber() @Min(0) costUsd?: number;
}

/**
 * Batch mode's scoring: a page of items scored by one command. The items travel in a blob (`inputBlobKey`, JSONL of
 * ScorePageItem: a page's embeddings do not fit a message); the scorer writes a line per item (ScoredPageItem) to
 * `resultsBlobKey` and answers with PageScored. Redelivered, it writes the same results again.
 */
export class ScorePageCommand {
  @IsUUID() runId!: string;
  @IsUUID() projectId!: string;
  @IsUUID() pageId!: string;
  @IsString() @IsNotEmpty() inputBlobKey!: string;
  @IsString() @IsNotEmpty() resultsBlobKey!: string;
  @IsInt() @Min(1) itemCount!: number;
  /** The run's scorers, the same for every item of the page. */
  @IsArray() @ValidateNested({ each: true }) @Type(() => ScorerSpec) scorers!: ScorerSpec[];
  @IsOptional() @IsIn(Object.values(CacheMode)) cacheMode?: CacheMode;
}

/** One line of a ScorePage input blob. Vectors are base64 of little-endian float32, as the Batch API returns them. */
export interface ScorePageItem {
  itemId: string;
  attempt: number;
  question?: string;
  output: string;
  groundTruth: string;
  outputEmbedding?: string;
  groundTruthEmbedding?: string;
}

/** One line of a ScorePage results blob: the item's ItemScored fields, or the StageError it could not be scored with. */
export interface ScoredPageItem {
  itemId: string;
  attempt: number;
  results: ScorerResult[];
  errors?: ScorerFailure[];
  usage?: TokenUsage;
  latencyMs?: number;
  costUsd?: number;
  cacheHit?: boolean;
  savedTokens?: number;
  savedCostUsd?: number;
  warnings?: string[];
  failure?: StageError;
}

export class PageScoredEvent {
  @IsUUID() runId!: string;
  @IsUUID() projectId!: string;
  @IsUUID() pageId!: string;
  /** Where the input was: the orchestrator deletes both blobs once the results are recorded. */
  @IsString() @IsNotEmpty() inputBlobKey!: string;
  @IsString() @IsNotEmpty() resultsBlobKey!: string;
  @IsInt() @Min(0) itemCount!: number;
}
