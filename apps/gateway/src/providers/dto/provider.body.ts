import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean, IsEnum, IsInt, IsNotEmpty, IsNumber, IsObject, IsOptional, IsString, IsUrl, Max, MaxLength, Min, ValidateNested,
} from 'class-validator';
import { ProviderKind } from '@yardstick/contracts';

export class RateLimitsBody {
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) requests_per_minute?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) tokens_per_minute?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(10_000) max_concurrency?: number;
}

export class PriceOverrideBody {
  @ApiProperty({ description: 'USD per 1M input tokens' }) @IsNumber() @Min(0) input!: number;
  @ApiPropertyOptional({ description: 'USD per 1M cached input tokens' }) @IsOptional() @IsNumber() @Min(0) cached_input?: number;
  @ApiProperty({ description: 'USD per 1M output tokens' }) @IsNumber() @Min(0) output!: number;
  @ApiPropertyOptional({ description: 'Share of the standard price the Batch API charges (0.5 = half)' })
  @IsOptional() @IsNumber() @Min(0) @Max(1) batch_discount?: number;
}

const URL_OPTIONS = { require_tld: false, protocols: ['http', 'https'], require_protocol: true };

/** Every field optional: PATCH sends what changes. */
export class UpdateProviderBody {
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) name?: string;
  @ApiPropertyOptional({ enum: ProviderKind, enumName: 'ProviderKind' }) @IsOptional() @IsEnum(ProviderKind) kind?: ProviderKind;
  @ApiPropertyOptional({ example: 'https://api.openai.com/v1' }) @IsOptional() @IsUrl(URL_OPTIONS) @MaxLength(2000) base_url?: string;
  @ApiPropertyOptional({ description: 'Write-only: stored encrypted, never returned; null removes it.', nullable: true })
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(2000) api_key?: string | null;
  @ApiPropertyOptional({ description: 'Azure OpenAI api-version, e.g. 2024-10-21' }) @IsOptional() @IsString() @MaxLength(50) azure_api_version?: string;
  @ApiPropertyOptional({ description: 'Headers sent with every call (not secret: shown in responses).' })
  @IsOptional() @IsObject() default_headers?: Record<string, string>;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() supports_batch?: boolean;
  @ApiPropertyOptional({ type: RateLimitsBody }) @IsOptional() @ValidateNested() @Type(() => RateLimitsBody) rate_limits?: RateLimitsBody;
  @ApiPropertyOptional({ description: 'Per model: { input, cached_input, output, batch_discount }' })
  @IsOptional() @IsObject() price_overrides?: Record<string, PriceOverrideBody>;
}

export class CreateProviderBody extends UpdateProviderBody {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(200) declare name: string;
  @ApiProperty({ enum: ProviderKind, enumName: 'ProviderKind' }) @IsEnum(ProviderKind) declare kind: ProviderKind;
  @ApiProperty({ example: 'https://api.openai.com/v1' }) @IsUrl(URL_OPTIONS) @MaxLength(2000) declare base_url: string;
}
