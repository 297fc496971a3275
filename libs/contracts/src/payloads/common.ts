import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsNotEmpty, IsNumber, IsOptional, IsString, IsUUID, Max, Min, ValidateNested } from 'class-validator';
import { Stage } from '../enums';

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
