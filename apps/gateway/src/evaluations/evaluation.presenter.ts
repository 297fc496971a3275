import { RunItemView, RunView, TokenUsage } from '@yardstick/contracts';

const usage = (u: TokenUsage) => ({ input_tokens: u.inputTokens, output_tokens: u.outputTokens, total_tokens: u.totalTokens });

export function presentRun(run: RunView) {
  return {
    id: run.id,
    run_name: run.runName,
    status: run.status,
    run_mode: run.runMode,
    dataset_id: run.datasetId,
    config_id: run.configId,
    config_version: run.configVersion,
    items_total: run.itemsTotal,
    items_succeeded: run.itemsSucceeded,
    items_failed: run.itemsFailed,
    progress: run.progress,
    score: run.score,
    usage: usage(run.usage),
    cost: { responses: run.cost.responses, embeddings: run.cost.embeddings, scoring: run.cost.scoring ?? 0, total_cost_usd: run.cost.totalCostUsd },
    failure_threshold: run.failureThreshold,
    error: run.error,
    paused_reason: run.pausedReason,
    attempt: run.attempt,
    cache_mode: run.cacheMode,
    cache: { hits: run.cache.hits, saved_tokens: run.cache.savedTokens, saved_cost_usd: run.cache.savedCostUsd },
    warnings: run.warnings,
    execution: run.execution,
    created_at: run.createdAt,
    started_at: run.startedAt,
    completed_at: run.completedAt,
  };
}

export function presentRunItem(item: RunItemView) {
  return {
    id: item.id,
    index: item.index,
    replicate: item.replicate,
    dataset_item_id: item.datasetItemId,
    category: item.category,
    question: item.question,
    ground_truth: item.groundTruth,
    output: item.output,
    state: item.state,
    score: item.score,
    scores: item.scores,
    human_scores: item.humanScores ?? [],
    scorer_errors: item.scorerErrors ?? {},
    verdicts: item.verdicts ?? {},
    usage: usage(item.usage),
    latency_ms: item.latencyMs,
    cost_usd: item.costUsd,
    stages: item.stages.map((s) => ({
      stage: s.stage, state: s.state, attempt: s.attempt, usage: s.usage ? usage(s.usage) : null,
      latency_ms: s.latencyMs, cost_usd: s.costUsd, cache_hit: s.cacheHit, error: s.error,
    })),
    pipeline_steps: (item.pipelineSteps ?? []).map((p) => ({
      name: p.name, model: p.model, output: p.output, usage: usage(p.usage), cost_usd: p.costUsd, latency_ms: p.latencyMs, cache_hit: p.cacheHit,
    })),
    error: item.error,
  };
}
