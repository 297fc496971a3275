import { PageQuery } from '../../api/page.query';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsInt, IsNotEmpty, IsNumber, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { CacheMode, RunMode, RunStatus } from '@yardstick/contracts';

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
}

export class ListEvaluationsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: RunStatus }) @IsOptional() @IsEnum(RunStatus) status?: RunStatus;
}

