import { PageQuery } from '../../api/page.query';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

/** The text fields of the multipart dataset upload (the file travels as field `file`). */
export class UploadDatasetBody {
  @ApiProperty({ example: 'capitals' }) @IsString() @IsNotEmpty() @MaxLength(200) name!: string;

  @ApiPropertyOptional({ type: Number, minimum: 1, maximum: 5, default: 1, description: 'How many times each row is evaluated (to measure variance).' })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(5) duplication_factor: number = 1;

  @ApiProperty({ type: 'string', format: 'binary', description: 'CSV with question and answer columns, optional category; or JSONL (name *.jsonl or content type application/x-ndjson): one {"question", "answer", "category"?} object per line.' })
  @IsOptional() file?: unknown;
}

export class ListDatasetsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ['fast'], description: 'Only datasets small enough for this run mode.' })
  @IsOptional() @IsString() eligible_for?: string;
}
