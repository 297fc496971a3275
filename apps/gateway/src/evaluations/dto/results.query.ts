import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsNumber, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength } from 'class-validator';
import { PageQuery } from '../../api/page.query';

/** Default tie tolerance of a comparison: score differences this small are noise, not a win or a loss. */
export const DEFAULT_TIE_TOLERANCE = 0.01;

export class CompareEvaluationsQuery extends PageQuery {
  @ApiProperty({ format: 'uuid', description: 'The run compared against (the reference).' }) @IsUUID() base!: string;
  @ApiProperty({ format: 'uuid', description: 'The run being judged; deltas are candidate − base.' }) @IsUUID() candidate!: string;
  @ApiPropertyOptional({ type: Number, minimum: 0, maximum: 1, default: DEFAULT_TIE_TOLERANCE, description: '|delta| ≤ this is a tie.' })
  @IsOptional() @Type(() => Number) @IsNumber() @Min(0) @Max(1) tie_tolerance: number = DEFAULT_TIE_TOLERANCE;
}

export const EXPORT_FORMATS = ['csv', 'jsonl'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export const EXPORT_GROUPINGS = ['question'] as const;
export type ExportGrouping = (typeof EXPORT_GROUPINGS)[number];

export class ExportEvaluationQuery {
  @ApiProperty({ enum: EXPORT_FORMATS, description: 'csv (formula-escaped, UTF-8 with BOM) or jsonl (one JSON object per line).' })
  @IsIn(EXPORT_FORMATS) format!: ExportFormat;
  @ApiPropertyOptional({ enum: EXPORT_GROUPINGS, description: 'question: one row per dataset row (its replicates\' count, mean, std and outputs) instead of one per item.' })
  @IsOptional() @IsIn(EXPORT_GROUPINGS) group_by?: ExportGrouping;
}

export class HumanScoreBody {
  @ApiProperty({ example: 'alice', description: 'Who scores; one score per rater per item (a repeat replaces it).' })
  @IsString() @MinLength(1) @MaxLength(200) rater!: string;
  @ApiProperty({ minimum: 0, maximum: 1, example: 0.8, description: 'The score, in [0, 1] like automatic scores.' })
  @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) @Max(1) value!: number;
  @ApiPropertyOptional({ maxLength: 4000 }) @IsOptional() @IsString() @MaxLength(4000) comment?: string;
}
