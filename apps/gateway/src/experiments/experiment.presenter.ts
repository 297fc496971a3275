import { ExperimentView, LeaderboardEntry, LeaderboardView, ModelParams, RunConfigSnapshot, StrategySpec } from '@yardstick/contracts';
import { SavedConfigRef } from './saved-configs.service';

/** Saved config versions by experiment config id. */
export type SavedConfigs = ReadonlyMap<string, SavedConfigRef>;

/** The config version an experiment config was saved as (`POST /evaluations` takes both), or null until the gateway has saved it. */
export const presentSaved = (saved: SavedConfigs, experimentConfigId: string) => {
  const ref = saved.get(experimentConfigId);
  return ref ? { config_id: ref.configId, config_version: ref.version } : null;
};

export const presentParams = (p: ModelParams = {}) => ({
  temperature: p.temperature ?? null, top_p: p.topP ?? null, max_output_tokens: p.maxOutputTokens ?? null, seed: p.seed ?? null,
});

export function presentConfig(config: RunConfigSnapshot) {
  return {
    base_config_id: config.configId,
    base_config_version: config.version,
    model: config.model,
    instructions: config.instructions ?? null,
    prompt_template: config.promptTemplate ?? null,
    params: presentParams(config.params),
    embedding_model: config.embeddingModel,
    provider_endpoint_id: config.providerEndpointId ?? null,
  };
}

const presentStrategy = (s: StrategySpec) => ({
  kind: s.kind, samples: s.samples ?? null, seed: s.seed ?? null, top_k: s.topK ?? null, explore_share: s.exploreShare ?? null,
  wave_size: s.waveSize ?? null, patience_waves: s.patienceWaves ?? null,
});

export function presentExperiment(e: ExperimentView, saved: SavedConfigs = new Map()) {
  return {
    id: e.id,
    name: e.name,
    status: e.status,
    status_reason: e.statusReason,
    dataset_id: e.datasetId,
    base_config: presentConfig(e.baseConfig),
    saved_config_id: e.savedConfigId ?? null,
    parameter_space: e.space,
    strategy: presentStrategy(e.strategy),
    scorers: e.scorers,
    run_mode: e.runMode,
    budget: { max_cost_usd: e.budget.maxCostUsd ?? null, max_tokens: e.budget.maxTokens ?? null },
    max_concurrent_runs: e.maxConcurrentRuns,
    estimate: {
      configs_total: e.estimate.configsTotal, configs_limit: e.estimate.configsLimit, items_per_config: e.estimate.itemsPerConfig,
      max_tokens: e.estimate.tokens, max_cost_usd: e.estimate.costUsd,
    },
    spent: { cost_usd: e.spent.costUsd, tokens: e.spent.tokens },
    best: e.best ? { config_id: e.best.configId, score: e.best.score } : null,
    configs: e.configs.map((c) => ({
      id: c.id, ordinal: c.ordinal, wave: c.wave, params: c.params, config_hash: c.configHash, run_id: c.runId, status: c.status,
      score: c.score, cost_usd: c.costUsd, reserved_cost_usd: c.reservedCostUsd, reserved_tokens: c.reservedTokens,
      saved_config: presentSaved(saved, c.id),
    })),
    created_at: e.createdAt,
    started_at: e.startedAt,
    finished_at: e.finishedAt,
  };
}

export function presentLeaderboardEntry(entry: LeaderboardEntry, saved: SavedConfigs = new Map()) {
  return {
    rank: entry.rank,
    config_id: entry.configId,
    ordinal: entry.ordinal,
    run_id: entry.runId,
    params: entry.params,
    config: presentConfig(entry.config),
    saved_config: presentSaved(saved, entry.configId),
    status: entry.status,
    score: entry.score,
    items_total: entry.itemsTotal,
    items_failed: entry.itemsFailed,
    cost_usd: entry.costUsd,
    tokens: entry.tokens,
    latency_ms: entry.latencyMs,
    duration_ms: entry.durationMs,
  };
}

export function presentLeaderboard(board: LeaderboardView, saved: SavedConfigs = new Map()) {
  const f = board.formula;
  return {
    experiment_id: board.experimentId,
    formula: {
      item_score: f.itemScore, config_score: f.configScore, missing_scores: f.missingScores,
      confidence_interval: f.confidenceInterval, ranking: f.ranking,
    },
    items: board.entries.map((entry) => presentLeaderboardEntry(entry, saved)),
  };
}
