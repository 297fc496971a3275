import { Type } from 'class-transformer';
import { IsArray, IsBoolean, IsIn, IsNumber, IsObject, IsOptional, IsString, Max, Min, ValidateNested } from 'class-validator';
import { ScorerName } from '../enums';
import { ItemWorkRef } from './common';
import { IsVector } from '../vector.validator';

export class ScorerSpec {
  @IsIn(Object.values(ScorerName)) name!: ScorerName;
  @IsNumber() @Min(0) weight!: number;
  /**
   * The scorer's options, shape per scorer (see scorer-configs.ts); absent = its defaults. Only checked to be an object here:
   * whoever creates a run checks the rest with `scorerConfigProblems`, and the scorer checks again before scoring.
   * Typed `object` (read it with `parseScorerConfig`): TypeORM's insert typing rejects `Record<string, unknown>` in the runs entity.
   */
  @IsOptional() @IsObject() config?: object;
}

export class ScoreItemCommand extends ItemWorkRef {
  @IsArray() @ValidateNested({ each: true }) @Type(() => ScorerSpec) scorers!: ScorerSpec[];
  @IsString() output!: string;
  @IsString() groundTruth!: string;
  @IsOptional() @IsVector() outputEmbedding?: number[];
  @IsOptional() @IsVector() groundTruthEmbedding?: number[];
}

export class ScorerResult {
  @IsIn(Object.values(ScorerName)) scorer!: ScorerName;
  @IsNumber() @Min(0) @Max(1) value!: number;
  @IsOptional() @IsBoolean() passed?: boolean;
  @IsOptional() @IsObject() details?: Record<string, unknown>;
}

export class ItemScoredEvent extends ItemWorkRef {
  @IsArray() @ValidateNested({ each: true }) @Type(() => ScorerResult) results!: ScorerResult[];
}
