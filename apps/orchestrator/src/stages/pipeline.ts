import { PipelineStep, RunConfigSnapshot } from '@yardstick/contracts';
import { SINGLE_STAGE_NAME } from '@yardstick/prompting';
import { Outcome } from './item-results.repository';

/** One finished step of an item's prompt pipeline, as kept in `item_stages.step_outputs` (responses row). */
export interface PipelineStepRecord {
  name: string;
  model: string;
  /** Absent for the last step: its output is the item's output (`run_items.output`). */
  output?: string;
  input_tokens: number;
  output_tokens: number;
  total_tokens: number;
  cost_usd: number;
  latency_ms: number;
  cache_hit: boolean;
}

/** The steps a run's responses stage runs: its pipeline, or the one step of a single-stage config. */
export function pipelineOf(config: RunConfigSnapshot): PipelineStep[] {
  if (config.pipeline?.length) return config.pipeline;
  return [{
    name: SINGLE_STAGE_NAME, model: config.model, instructions: config.instructions, promptTemplate: config.promptTemplate ?? '',
    params: config.params ?? {},
  }];
}

export function stepRecord(step: PipelineStep, model: string, outcome: Outcome, output: string | undefined): PipelineStepRecord {
  return {
    name: step.name, model, ...(output === undefined ? {} : { output }),
    input_tokens: outcome.usage.inputTokens, output_tokens: outcome.usage.outputTokens, total_tokens: outcome.usage.totalTokens,
    cost_usd: outcome.costUsd, latency_ms: outcome.latencyMs, cache_hit: outcome.cacheHit ?? false,
  };
}

/** What later templates read: `stages.<name>.output` of every finished step. */
export function stageOutputs(records: PipelineStepRecord[]): Record<string, { output: string }> {
  return Object.fromEntries(records.filter((r) => r.output !== undefined).map((r) => [r.name, { output: r.output as string }]));
}
