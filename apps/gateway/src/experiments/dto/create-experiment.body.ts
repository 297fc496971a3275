import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, IsArray, IsEnum, IsIn, IsInt, IsNotEmpty, IsNumber, IsObject, IsOptional, IsString, IsUUID, Max, MaxLength, Min,
  ValidateNested,
} from 'class-validator';
import { CacheMode, EXPERIMENT_PARAMETERS, ExperimentParameterName, ParameterDistribution, RunMode, SweepStrategy } from '@yardstick/contracts';
import { ScorerBody } from '../../evaluations/dto/create-evaluation.body';

export class ParameterBody {
  @ApiProperty({ enum: EXPERIMENT_PARAMETERS }) @IsIn(EXPERIMENT_PARAMETERS) name!: ExperimentParameterName;
  @ApiPropertyOptional({ description: 'Discrete values (strings for model/prompt_template/instructions/embedding_model, numbers otherwise).' })
  @IsOptional() @IsArray() @ArrayMinSize(1) @ArrayMaxSize(200) values?: Array<string | number>;
  @ApiPropertyOptional() @IsOptional() @IsNumber() min?: number;
  @ApiPropertyOptional() @IsOptional() @IsNumber() max?: number;
  @ApiPropertyOptional({ description: 'With min/max: every value min, min+step, … up to max.' }) @IsOptional() @IsNumber() step?: number;
  @ApiPropertyOptional({ enum: ParameterDistribution, description: 'With min/max: sampled (random and guided strategies only).' })
  @IsOptional() @IsEnum(ParameterDistribution) distribution?: ParameterDistribution;
}

export class StrategyBody {
  @ApiProperty({ enum: SweepStrategy }) @IsEnum(SweepStrategy) kind!: SweepStrategy;
  @ApiPropertyOptional({ description: 'random/guided: most configs to run (default 20).' }) @IsOptional() @IsInt() @Min(1) @Max(10_000) samples?: number;
  @ApiPropertyOptional({ description: 'random/guided: PRNG seed (default 42); the same seed gives the same configs.' })
  @IsOptional() @IsInt() @Min(0) seed?: number;
  @ApiPropertyOptional({ default: 3 }) @IsOptional() @IsInt() @Min(1) @Max(100) top_k?: number;
  @ApiPropertyOptional({ default: 0.25 }) @IsOptional() @IsNumber() @Min(0) @Max(1) explore_share?: number;
  @ApiPropertyOptional({ description: 'Configs per wave; default and at most max_concurrent_runs.' }) @IsOptional() @IsInt() @Min(1) @Max(100) wave_size?: number;
  @ApiPropertyOptional({ default: 3 }) @IsOptional() @IsInt() @Min(1) @Max(100) patience_waves?: number;
}

export class BudgetBody {
  @ApiPropertyOptional({ description: 'Most USD the sweep may spend (needs `prices` for every model).' }) @IsOptional() @IsNumber() @Min(0) max_cost_usd?: number;
  @ApiPropertyOptional({ description: 'Most tokens (all stages) the sweep may use.' }) @IsOptional() @IsInt() @Min(0) max_tokens?: number;
}

export class CreateExperimentBody {
  @ApiProperty({ example: 'temperature sweep' }) @IsString() @IsNotEmpty() @MaxLength(120) name!: string;
  @ApiProperty({ format: 'uuid' }) @IsUUID() dataset_id!: string;
  @ApiProperty({ format: 'uuid', description: 'The base config: every experiment config is this version with sampled parameters.' }) @IsUUID() config_id!: string;
  @ApiPropertyOptional({ description: 'Default: the latest version.' }) @IsOptional() @IsInt() @Min(1) config_version?: number;
  @ApiProperty({ type: [ParameterBody] })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(20) @ValidateNested({ each: true }) @Type(() => ParameterBody) parameter_space!: ParameterBody[];
  @ApiProperty({ type: StrategyBody }) @IsObject() @ValidateNested() @Type(() => StrategyBody) strategy!: StrategyBody;
  @ApiPropertyOptional({ type: [ScorerBody], description: 'Scorers and their weights; default cosine_similarity with weight 1.' })
  @IsOptional() @IsArray() @ArrayMinSize(1) @ArrayMaxSize(20) @ValidateNested({ each: true }) @Type(() => ScorerBody) scorers?: ScorerBody[];
  @ApiPropertyOptional({ enum: RunMode, default: RunMode.Fast }) @IsOptional() @IsEnum(RunMode) run_mode: RunMode = RunMode.Fast;
  @ApiPropertyOptional({ enum: CacheMode, default: CacheMode.ReadWrite }) @IsOptional() @IsEnum(CacheMode) cache_mode: CacheMode = CacheMode.ReadWrite;
  @ApiPropertyOptional({ type: BudgetBody }) @IsOptional() @IsObject() @ValidateNested() @Type(() => BudgetBody) budget?: BudgetBody;
  @ApiPropertyOptional({ description: 'USD per million tokens by model, e.g. {"sim-large":{"input":2,"output":8}}: used for cost estimates and budget reservations.' })
  @IsOptional() @IsObject() prices?: Record<string, { input: number; output: number }>;
  @ApiPropertyOptional({ default: 2, minimum: 1, maximum: 50 }) @IsOptional() @IsInt() @Min(1) @Max(50) max_concurrent_runs: number = 2;
}

export enum ExportFormat {
  Json = 'json',
  Env = 'env',
  Yaml = 'yaml',
  Markdown = 'md',
}

export class ExportQuery {
  @ApiPropertyOptional({ enum: ExportFormat, default: ExportFormat.Json }) @IsOptional() @IsEnum(ExportFormat) format: ExportFormat = ExportFormat.Json;
  @ApiPropertyOptional({ format: 'uuid', description: 'The experiment config to export; default: the best.' }) @IsOptional() @IsUUID() config?: string;
}
