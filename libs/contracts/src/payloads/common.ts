import { Type } from 'class-transformer';
import { IsArray, IsBoolean, IsIn, IsInt, IsNotEmpty, IsNumber, IsOptional, IsString, IsUUID, Max, Min, ValidateNested } from 'class-validator';
import { CacheMode, Stage } from '../enums';

/** Identifies one item's work in one stage; `attempt` counts the platform's own retries. */
export class ItemWorkRef {
  @IsUUID() runId!: string;
  @IsUUID() projectId!: string;
  @IsUUID() itemId!: string;
  @IsInt() @Min(1) attempt!: number;
}

export class TokenUsage {
  @IsInt() @Min(0) inputTokens!: number;
  @IsInt() @Min(0) outputTokens!: number;
  @IsInt() @Min(0) totalTokens!: number;
}

export class ModelParams {
  @IsOptional() @IsNumber() @Min(0) @Max(2) temperature?: number;
  @IsOptional() @IsNumber() @Min(0) @Max(1) topP?: number;
  @IsOptional() @IsInt() @Min(1) maxOutputTokens?: number;
  @IsOptional() @IsInt() seed?: number;
}

/** Errors that waiting would not fix (no quota, a rejected key): the run is paused with the reason instead of failing items. */
export const RUN_PAUSING_ERROR_CODES: readonly string[] = ['insufficient_quota', 'invalid_api_key'];

export class StageError {
  /** Machine-readable cause: `rate_limited`, `provider_error`, `timeout`, `bad_request`, `invalid_output`, … */
  @IsString() @IsNotEmpty() code!: string;
  @IsString() message!: string;
  @IsBoolean() retryable!: boolean;
  @IsOptional() @IsInt() @Min(0) retryAfterMs?: number;
  @IsOptional() @IsInt() httpStatus?: number;
}

export class ItemStageFailedEvent extends ItemWorkRef {
  @IsIn(Object.values(Stage)) stage!: Stage;
  @ValidateNested() @Type(() => StageError) error!: StageError;
}

/** Which endpoint to call and how to use the cache, carried by every provider command. */
export class ProviderCallOptions extends ItemWorkRef {
  /** A project's registered endpoint; absent = the deployment's default endpoint. */
  @IsOptional() @IsUUID() endpointId?: string;
  @IsOptional() @IsIn(Object.values(CacheMode)) cacheMode?: CacheMode;
}

/** What the cache did for a provider result. */
export class CacheOutcome extends ItemWorkRef {
  /** True when the result came from the shared cache: no provider call, cost 0. */
  @IsOptional() @IsBoolean() cacheHit?: boolean;
  /** Tokens and cost a cache hit saved. */
  @IsOptional() @IsInt() @Min(0) savedTokens?: number;
  @IsOptional() @IsNumber() @Min(0) savedCostUsd?: number;
  /** Problems worth showing on the run (e.g. the cache was unreachable and calls went through uncached). */
  @IsOptional() @IsArray() @IsString({ each: true }) warnings?: string[];
}
