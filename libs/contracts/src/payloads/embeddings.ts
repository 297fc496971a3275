import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsNotEmpty, IsNumber, IsString, Min, ValidateNested } from 'class-validator';
import { CacheOutcome, ProviderCallOptions, TokenUsage } from './common';
import { IsVector } from '../vector.validator';

export enum EmbeddedTextRole {
  Output = 'output',
  GroundTruth = 'ground_truth',
}

export class TextToEmbed {
  @IsIn(Object.values(EmbeddedTextRole)) role!: EmbeddedTextRole;
  @IsString() text!: string;
}

export class EmbedTextsCommand extends ProviderCallOptions {
  @IsString() @IsNotEmpty() model!: string;
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(2) @ValidateNested({ each: true }) @Type(() => TextToEmbed) texts!: TextToEmbed[];
}

export class EmbeddingVector {
  @IsIn(Object.values(EmbeddedTextRole)) role!: EmbeddedTextRole;
  @IsVector() embedding!: number[];
}

export class EmbeddingsComputedEvent extends CacheOutcome {
  @IsString() model!: string;
  @IsArray() @ValidateNested({ each: true }) @Type(() => EmbeddingVector) vectors!: EmbeddingVector[];
  @ValidateNested() @Type(() => TokenUsage) usage!: TokenUsage;
  @IsInt() @Min(0) latencyMs!: number;
  @IsNumber() @Min(0) costUsd!: number;
}
