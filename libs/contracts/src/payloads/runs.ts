import { Type } from 'class-transformer';
import { IsIn, IsInt, IsNumber, IsOptional, IsString, IsUUID, Min, ValidateNested } from 'class-validator';
import { RunMode, RunStatus } from '../enums';

export class ScoreSummary {
  @IsOptional() @IsNumber() mean!: number | null;
  @IsOptional() @IsNumber() std!: number | null;
  @IsInt() @Min(0) count!: number;
}

export class RunCost {
  @IsNumber() @Min(0) responses!: number;
  @IsNumber() @Min(0) embeddings!: number;
  /** What scorers' provider calls cost (the llm_judge's); absent in events from before it existed. */
  @IsOptional() @IsNumber() @Min(0) scoring?: number;
  @IsNumber() @Min(0) totalCostUsd!: number;
}

/** Published once when a run reaches `completed` or `failed`. */
export class RunFinishedEvent {
  @IsUUID() runId!: string;
  @IsUUID() projectId!: string;
  @IsString() runName!: string;
  @IsIn(Object.values(RunMode)) runMode!: RunMode;
  @IsIn(Object.values(RunStatus)) status!: RunStatus;
  @IsInt() @Min(0) itemsTotal!: number;
  @IsInt() @Min(0) itemsSucceeded!: number;
  @IsInt() @Min(0) itemsFailed!: number;
  @ValidateNested() @Type(() => ScoreSummary) score!: ScoreSummary;
  @ValidateNested() @Type(() => RunCost) cost!: RunCost;
  @IsOptional() @IsString() error?: string | null;
  @IsString() finishedAt!: string;
}
