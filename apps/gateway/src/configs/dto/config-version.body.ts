import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, IsArray, IsInt, IsNotEmpty, IsNumber, IsObject, IsOptional, IsString, IsUUID, Max, MaxLength, Min, ValidateIf,
  ValidateNested,
} from 'class-validator';
import { MAX_PIPELINE_STAGES, MAX_TEMPLATE_CHARS } from '@yardstick/prompting';

export class ModelParamsBody {
  @ApiPropertyOptional({ minimum: 0, maximum: 2 }) @IsOptional() @IsNumber() @Min(0) @Max(2) temperature?: number;
  @ApiPropertyOptional({ minimum: 0, maximum: 1 }) @IsOptional() @IsNumber() @Min(0) @Max(1) top_p?: number;
  @ApiPropertyOptional({ minimum: 1, maximum: 128000 }) @IsOptional() @IsInt() @Min(1) @Max(128_000) max_output_tokens?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() seed?: number;
}

/** One stage of a prompt pipeline. */
export class PipelineStageBody {
  @ApiProperty({ example: 'extract', pattern: '^[a-z][a-z0-9_]*$', description: 'Unique; later stages read `{{ stages.<name>.output }}`.' })
  @IsString() @IsNotEmpty() @MaxLength(50) name!: string;
  @ApiPropertyOptional({ example: 'sim-large', description: "Omitted = the version's `model`." })
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) model?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(20_000) instructions?: string;
  @ApiProperty({ example: 'List the key facts needed to answer: {{ question }}', description: 'Nunjucks (Jinja2 syntax), sandboxed.' })
  @IsString() @IsNotEmpty() @MaxLength(MAX_TEMPLATE_CHARS) prompt_template!: string;
  @ApiPropertyOptional({ type: ModelParamsBody })
  @IsOptional() @IsObject() @ValidateNested() @Type(() => ModelParamsBody) params?: ModelParamsBody;
}

/** The fields of one config version, shared by config creation and new versions. */
export class ConfigVersionBody {
  @ApiPropertyOptional({ example: 'sim-large', description: 'Required without `pipeline`; with it, the default model of its stages.' })
  @ValidateIf((body: ConfigVersionBody) => body.pipeline === undefined || body.model !== undefined)
  @IsString() @IsNotEmpty() @MaxLength(200) model?: string;
  @ApiPropertyOptional({ example: 'Answer in one short sentence.' }) @IsOptional() @IsString() @MaxLength(20_000) instructions?: string;
  @ApiPropertyOptional({ example: 'Question: {{question}}', description: 'Nunjucks (Jinja2 syntax), sandboxed. Required without `pipeline`, not allowed with it.' })
  @ValidateIf((body: ConfigVersionBody) => body.pipeline === undefined || body.prompt_template !== undefined)
  @IsString() @IsNotEmpty() @MaxLength(MAX_TEMPLATE_CHARS) prompt_template?: string;
  @ApiPropertyOptional({ type: ModelParamsBody })
  @IsOptional() @IsObject() @ValidateNested() @Type(() => ModelParamsBody) params?: ModelParamsBody;
  @ApiPropertyOptional({ type: [PipelineStageBody], description: `Ordered stages (1 to ${MAX_PIPELINE_STAGES}); the last one's output is scored.` })
  @IsOptional() @IsArray() @ArrayMinSize(1) @ArrayMaxSize(MAX_PIPELINE_STAGES) @ValidateNested({ each: true }) @Type(() => PipelineStageBody)
  pipeline?: PipelineStageBody[];
  @ApiPropertyOptional({ format: 'uuid', description: 'A provider endpoint of the project; omitted = the default endpoint.' })
  @IsOptional() @IsUUID() provider_endpoint_id?: string;
  @ApiPropertyOptional({ example: 'text-embedding-3-small' }) @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) embedding_model?: string;
}

export class CreateConfigBody extends ConfigVersionBody {
  @ApiProperty({ example: 'concise answers' }) @IsString() @IsNotEmpty() @MaxLength(200) name!: string;
}
