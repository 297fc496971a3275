import { Type } from 'class-transformer';
import {
  IsBoolean, IsIn, IsInt, IsNotEmpty, IsNumber, IsObject, IsOptional, IsString, IsUrl, IsUUID, Max, MaxLength, Min, ValidateNested,
} from 'class-validator';
import { ProviderKind } from '../enums';

export class ProviderRateLimits {
  @IsOptional() @IsInt() @Min(1) requestsPerMinute?: number;
  @IsOptional() @IsInt() @Min(1) tokensPerMinute?: number;
  @IsOptional() @IsInt() @Min(1) @Max(10_000) maxConcurrency?: number;
}

/** USD per one million tokens. */
export class ModelPriceOverride {
  @IsNumber() @Min(0) input!: number;
  @IsOptional() @IsNumber() @Min(0) cachedInput?: number;
  @IsNumber() @Min(0) output!: number;
  /** Share of the standard price the Batch API charges (0.5 = half). */
  @IsOptional() @IsNumber() @Min(0) @Max(1) batchDiscount?: number;
}

/**
 * The gateway seals the API key (SecretBox) before it leaves the gateway: the bus only ever carries ciphertext,
 * and only llm-caller opens it, when it calls.
 */
export class ProviderEndpointFields {
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) name?: string;
  @IsOptional() @IsIn(Object.values(ProviderKind)) kind?: ProviderKind;
  @IsOptional() @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true }) baseUrl?: string;
  /** Sealed API key; null removes the key. */
  @IsOptional() @IsString() apiKeySealed?: string | null;
  @IsOptional() @IsString() @MaxLength(4) apiKeyLast4?: string | null;
  @IsOptional() @IsString() azureApiVersion?: string;
  @IsOptional() @IsObject() defaultHeaders?: Record<string, string>;
  @IsOptional() @IsBoolean() supportsBatch?: boolean;
  @IsOptional() @ValidateNested() @Type(() => ProviderRateLimits) rateLimits?: ProviderRateLimits;
  @IsOptional() @IsObject() priceOverrides?: Record<string, ModelPriceOverride>;
}

export class CreateProviderRequest extends ProviderEndpointFields {
  @IsUUID() projectId!: string;
  @IsString() @IsNotEmpty() @MaxLength(200) declare name: string;
  @IsIn(Object.values(ProviderKind)) declare kind: ProviderKind;
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true }) declare baseUrl: string;
}

export class UpdateProviderRequest extends ProviderEndpointFields {
  @IsUUID() projectId!: string;
  @IsUUID() providerId!: string;
}

export class ProviderRequest {
  @IsUUID() projectId!: string;
  @IsUUID() providerId!: string;
}

export class ListProvidersRequest {
  @IsUUID() projectId!: string;
  @IsInt() @Min(1) @Max(500) limit!: number;
  @IsInt() @Min(0) offset!: number;
}

export interface ProviderEndpointView {
  id: string;
  projectId: string;
  name: string;
  kind: ProviderKind;
  baseUrl: string;
  hasApiKey: boolean;
  apiKeyLast4: string | null;
  azureApiVersion: string | null;
  defaultHeaders: Record<string, string>;
  supportsBatch: boolean;
  rateLimits: ProviderRateLimits;
  priceOverrides: Record<string, ModelPriceOverride>;
  createdAt: string;
  updatedAt: string;
}

export interface ProviderTestResult {
  ok: boolean;
  latencyMs: number;
  models: string[];
  error: string | null;
}

export class CacheStatsRequest {
  @IsOptional() @IsUUID() projectId?: string;
}

export class ClearCacheRequest {
  @IsUUID() projectId!: string;
  /** A provider endpoint of the project: the default endpoint's entries are shared by all projects. */
  @IsUUID() endpointId!: string;
  @IsOptional() @IsString() model?: string;
}

export interface CacheStatsView {
  hits: number;
  misses: number;
  hitRate: number | null;
  entries: number;
  memoryBytes: number;
  maxMemoryBytes: number;
  savedTokens: number;
  savedCostUsd: number;
}
