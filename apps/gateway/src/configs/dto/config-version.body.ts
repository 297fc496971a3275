import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsNotEmpty, IsNumber, IsObject, IsOptional, IsString, IsUUID, Max, MaxLength, Min, ValidateNested } from 'class-validator';

export class ModelParamsBody {
  @ApiPropertyOptional({ minimum: 0, maximum: 2 }) @IsOptional() @IsNumber() @Min(0) @Max(2) temperature?: number;
  @ApiPropertyOptional({ minimum: 0, maximum: 1 }) @IsOptional() @IsNumber() @Min(0) @Max(1) top_p?: number;
  @ApiPropertyOptional({ minimum: 1, maximum: 128000 }) @IsOptional() @IsInt() @Min(1) @Max(128_000) max_output_tokens?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() seed?: number;
}

/** The fields of one config version, shared by config creation and new versions. */
export class ConfigVersionBody {
  @ApiProperty({ example: 'sim-large' }) @IsString() @IsNotEmpty() @MaxLength(200) model!: string;
  @ApiPropertyOptional({ example: 'Answer in one short sentence.' }) @IsOptional() @IsString() @MaxLength(20_000) instructions?: string;
  @ApiProperty({ example: 'Question: {{question}}' }) @IsString() @IsNotEmpty() @MaxLength(50_000) prompt_template!: string;
  @ApiPropertyOptional({ type: ModelParamsBody })
  @IsOptional() @IsObject() @ValidateNested() @Type(() => ModelParamsBody) params?: ModelParamsBody;
  @ApiPropertyOptional({ format: 'uuid', description: 'A provider endpoint of the project; omitted = the default endpoint.' })
  @IsOptional() @IsUUID() provider_endpoint_id?: string;
  @ApiPropertyOptional({ example: 'text-embedding-3-small' }) @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) embedding_model?: string;
}

export class CreateConfigBody extends ConfigVersionBody {
  @ApiProperty({ example: 'concise answers' }) @IsString() @IsNotEmpty() @MaxLength(200) name!: string;
}
