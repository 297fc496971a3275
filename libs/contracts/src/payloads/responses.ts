import { Type } from 'class-transformer';
import { IsInt, IsNotEmpty, IsNumber, IsOptional, IsString, Min, ValidateNested } from 'class-validator';
import { CacheOutcome, ModelParams, ProviderCallOptions, TokenUsage } from './common';

export class GenerateResponseCommand extends ProviderCallOptions {
  @IsString() @IsNotEmpty() model!: string;
  @IsOptional() @IsString() instructions?: string;
  /** The full prompt after templating. */
  @IsString() input!: string;
  @ValidateNested() @Type(() => ModelParams) params!: ModelParams;
  /** Which copy of a duplicated dataset row this is: part of the cache key, so replicates still measure variance. */
  @IsOptional() @IsInt() @Min(1) replicate?: number;
  /** Index of the prompt-pipeline stage (0 = first); part of llm-caller's record and cache key. Absent = 0. */
  @IsOptional() @IsInt() @Min(0) step?: number;
}

export class ResponseGeneratedEvent extends CacheOutcome {
  @IsString() model!: string;
  @IsString() output!: string;
  @ValidateNested() @Type(() => TokenUsage) usage!: TokenUsage;
  @IsInt() @Min(0) latencyMs!: number;
  @IsNumber() @Min(0) costUsd!: number;
  @IsOptional() @IsString() providerResponseId?: string;
  /** The pipeline stage this output belongs to (the command's `step`). Absent = 0. */
  @IsOptional() @IsInt() @Min(0) step?: number;
}
