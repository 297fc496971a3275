import { Type } from 'class-transformer';
import { IsInt, IsNotEmpty, IsNumber, IsOptional, IsString, Min, ValidateNested } from 'class-validator';
import { ItemWorkRef, ModelParams, TokenUsage } from './common';

export class GenerateResponseCommand extends ItemWorkRef {
  @IsString() @IsNotEmpty() model!: string;
  @IsOptional() @IsString() instructions?: string;
  /** The full prompt after templating. */
  @IsString() input!: string;
  @ValidateNested() @Type(() => ModelParams) params!: ModelParams;
}

export class ResponseGeneratedEvent extends ItemWorkRef {
  @IsString() model!: string;
  @IsString() output!: string;
  @ValidateNested() @Type(() => TokenUsage) usage!: TokenUsage;
  @IsInt() @Min(0) latencyMs!: number;
  @IsNumber() @Min(0) costUsd!: number;
  @IsOptional() @IsString() providerResponseId?: string;
}
