import { PageQuery } from '../../api/page.query';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsEnum, IsInt, IsNotEmpty, IsNumber, IsObject, IsOptional, IsString, IsUUID, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { CacheMode, RunMode, RunStatus, ScorerName } from '@yardstick/contracts';

export class ScorerBody {
  @ApiProperty({ enum: ScorerName, enumName: 'ScorerName' }) @IsEnum(ScorerName) name!: ScorerName;
  @ApiPropertyOptional({ default: 1, minimum: 0, description: 'Weight in the item\'s total score' }) @IsOptional() @IsNumber() @Min(0) weight: number = 1;
  @ApiPropertyOptional({ description: 'Options of this scorer (see the scorer catalogue); checked when the run is created.' })
  @IsOptional() @IsObject() config?: Record<string, unknown>;
}

export class CreateEvaluationBody {
  @ApiProperty({ example: 'capitals sim-large v1' }) @IsString() @IsNotEmpty() @MaxLength(200) run_name!: string;
  @ApiProperty({ format: 'uuid' }) @IsUUID() dataset_id!: string;
  @ApiProperty({ format: 'uuid' }) @IsUUID() config_id!: string;
  @ApiProperty({ example: 1 }) @IsInt() @Min(1) config_version!: number;
  @ApiPropertyOptional({ enum: RunMode, enumName: 'RunMode', default: RunMode.Fast }) @IsOptional() @IsEnum(RunMode) run_mode: RunMode = RunMode.Fast;
  @ApiPropertyOptional({ minimum: 0, maximum: 1, default: 0.5, description: 'The run fails when the share of failed items is strictly greater.' })
  @IsOptional() @IsNumber() @Min(0) @Max(1) failure_threshold?: number;
  @ApiPropertyOptional({ enum: CacheMode, enumName: 'CacheMode', default: CacheMode.ReadWrite, description: 'How the run uses the shared response cache.' })
  @IsOptional() @IsEnum(CacheMode) cache_mode: CacheMode = CacheMode.ReadWrite;
  @ApiPropertyOptional({ type: [ScorerBody], description: 'How outputs are judged; default: cosine_similarity with weight 1.' })
  @IsOptional() @IsArray() @ArrayMinSize(1) @ArrayMaxSize(20) @ValidateNested({ each: true }) @Type(() => ScorerBody) scorers?: ScorerBody[];
}

export class ListEvaluationsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: RunStatus }) @IsOptional() @IsEnum(RunStatus) status?: RunStatus;
}

