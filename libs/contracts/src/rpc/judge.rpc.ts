import { Type } from 'class-transformer';
import { IsIn, IsNotEmpty, IsOptional, IsString, ValidateNested } from 'class-validator';
import { ScorerName } from '../enums';
import { ModelParams, ProviderCallOptions, StageError, TokenUsage } from '../payloads/common';

/**
 * One judge completion for one item's scorer, made by llm-caller through the same path as a response (cache, rate limit,
 * price table, result ledger). The ledger key is the item and the scoring stage, so a redelivered ScoreItem pays once.
 */
export class JudgeCompletionRequest extends ProviderCallOptions {
  /** The scorer asking (only llm_judge calls a model). */
  @IsIn(Object.values(ScorerName)) scorer!: ScorerName;
  @IsString() @IsNotEmpty() model!: string;
  @IsOptional() @IsString() instructions?: string;
  @IsString() @IsNotEmpty() input!: string;
  @ValidateNested() @Type(() => ModelParams) params!: ModelParams;
}

export interface JudgeCompletionView {
  output: string;
  usage: TokenUsage;
  latencyMs: number;
  costUsd: number;
  cacheHit: boolean;
  savedTokens: number;
  savedCostUsd: number;
  warnings?: string[];
}

/** `details` of the error reply when the provider call failed: the failure classified as for any stage. */
export interface JudgeCompletionFailureDetails {
  stageError: StageError;
}
