import { stringify } from 'yaml';
import { ExperimentView, LeaderboardEntry, LeaderboardView } from '@yardstick/contracts';
import { presentConfig, presentSaved, SavedConfigs } from './experiment.presenter';

/** The exported config as JSON: the config itself, its score and where it came from. */
export function exportJson(experiment: ExperimentView, entry: LeaderboardEntry, board: LeaderboardView, saved: SavedConfigs = new Map()) {
  return {
    experiment: { id: experiment.id, name: experiment.name, status: experiment.status, strategy: experiment.strategy.kind },
    config_id: entry.configId,
    rank: entry.rank,
    of: board.entries.length,
    params: entry.params,
    config: presentConfig(entry.config),
    saved_config: presentSaved(saved, entry.configId),
    score: entry.score,
    metadata: {
      run_id: entry.runId,
      dataset_id: experiment.datasetId,
      status: entry.status,
      cost_usd: entry.costUsd,
      tokens: entry.tokens,
      latency_ms: entry.latencyMs,
      duration_ms: entry.durationMs,
      score_formula: board.formula.configScore,
      exported_at: new Date().toISOString(),
    },
  };
}

export function exportYaml(experiment: ExperimentView, entry: LeaderboardEntry, board: LeaderboardView, saved: SavedConfigs = new Map()): string {
  return stringify(exportJson(experiment, entry, board, saved));
}

/** `.env`: one KEY=VALUE per config field, double-quoted (JSON escapes) when the value is not a bare word. */
export function exportEnv(experiment: ExperimentView, entry: LeaderboardEntry, saved: SavedConfigs = new Map()): string {
  const config = presentConfig(entry.config);
  const fields: Array<[string, string | number | null]> = [
    ['YARDSTICK_MODEL', config.model],
    ['YARDSTICK_INSTRUCTIONS', config.instructions],
    ['YARDSTICK_PROMPT_TEMPLATE', config.prompt_template],
    ['YARDSTICK_TEMPERATURE', config.params.temperature],
    ['YARDSTICK_TOP_P', config.params.top_p],
    ['YARDSTICK_MAX_OUTPUT_TOKENS', config.params.max_output_tokens],
    ['YARDSTICK_SEED', config.params.seed],
    ['YARDSTICK_EMBEDDING_MODEL', config.embedding_model],
    ['YARDSTICK_PROVIDER_ENDPOINT_ID', config.provider_endpoint_id],
  ];
  const header = [
    `# Yardstick experiment "${oneLine(experiment.name)}" (${experiment.id})`,
    `# config ${entry.configId}: rank ${entry.rank}, score ${formatScore(entry)}, cost $${entry.costUsd.toFixed(6)}`,
    ...(saved.has(entry.configId) ? [`# saved as config ${saved.get(entry.configId)!.configId} version ${saved.get(entry.configId)!.version}`] : []),
    `# exported ${new Date().toISOString()}`,
  ];
  const lines = fields.filter(([, value]) => value !== null).map(([key, value]) => `${key}=${envValue(String(value))}`);
  return `${[...header, ...lines].join('\n')}\n`;
}

/** A Markdown report: the space explored, the top configs, score distributions, tokens, cost and timing. */
export function exportMarkdown(experiment: ExperimentView, board: LeaderboardView, top = 10): string {
  const entries = board.entries;
  const best = entries[0];
  const paramNames = [...new Set(entries.flatMap((e) => Object.keys(e.params)))];
  const totalCost = entries.reduce((sum, e) => sum + e.costUsd, 0);
  const totalTokens = entries.reduce((sum, e) => sum + e.tokens.total, 0);
  const lines = [
    `# Experiment report: ${oneLine(experiment.name)}`,
    '',
    `- Experiment: \`${experiment.id}\`, status **${experiment.status}**${experiment.statusReason ? ` (${oneLine(experiment.statusReason)})` : ''}`,
    `- Strategy: ${experiment.strategy.kind}; configs run: ${entries.length} of ${experiment.estimate.configsTotal} planned; dataset \`${experiment.datasetId}\` (${experiment.estimate.itemsPerConfig} items per config)`,
    `- Started ${experiment.startedAt ?? '-'}, finished ${experiment.finishedAt ?? '-'}`,
    '',
    '## Config space explored',
    '',
    '| Parameter | Specification | Values tried |',
    '| --- | --- | --- |',
    ...experiment.space.map((s) => {
      const spec = s.values ? `values ${JSON.stringify(s.values)}` : `${s.min} to ${s.max}${s.step !== undefined ? ` step ${s.step}` : ` (${s.distribution ?? 'uniform'})`}`;
      const tried = [...new Set(entries.map((e) => JSON.stringify(e.params[s.name])))].join(', ');
      return `| ${s.name} | ${cell(spec)} | ${cell(tried)} |`;
    }),
    '',
    `## Top configs`,
    '',
    `| Rank | ${paramNames.join(' | ')} | Score (mean ± std) | 95% CI | Scored items | Cost (USD) | Tokens | p50 latency (ms) | p95 latency (ms) | Status |`,
    `| --- | ${paramNames.map(() => '---').join(' | ')} | --- | --- | --- | --- | --- | --- | --- | --- |`,
    ...entries.slice(0, top).map((e) => `| ${e.rank} | ${paramNames.map((n) => cell(String(e.params[n as keyof typeof e.params] ?? ''))).join(' | ')} | `
      + `${formatScore(e)} | ${e.score.ci95 ? `${e.score.ci95[0].toFixed(3)} – ${e.score.ci95[1].toFixed(3)}` : '-'} | ${e.score.count} | `
      + `${e.costUsd.toFixed(6)} | ${e.tokens.total} | ${num(e.latencyMs.p50)} | ${num(e.latencyMs.p95)} | ${e.status} |`),
    '',
    '## Score distribution',
    '',
    '| Rank | Score | Distribution |',
    '| --- | --- | --- |',
    ...entries.slice(0, top).map((e) => `| ${e.rank} | ${formatScore(e)} | ${bar(e.score.mean)} |`),
    '',
    '## Token usage, cost and timing',
    '',
    `- Total cost: $${totalCost.toFixed(6)}${experiment.budget.maxCostUsd !== undefined ? ` of a $${experiment.budget.maxCostUsd} budget` : ''}`,
    `- Total tokens: ${totalTokens}${experiment.budget.maxTokens !== undefined ? ` of a ${experiment.budget.maxTokens} tokens budget` : ''}`,
    `- Run durations (ms): ${entries.map((e) => num(e.durationMs)).join(', ') || '-'}`,
    '',
    '## Best config',
    '',
    best ? '```json\n' + JSON.stringify(presentConfig(best.config), null, 2) + '\n```' : 'No config has finished yet.',
    '',
    '## How scores are computed',
    '',
    `- Item score: ${board.formula.itemScore}`,
    `- Config score: ${board.formula.configScore}`,
    `- Missing scores: ${board.formula.missingScores}`,
    `- Confidence interval: ${board.formula.confidenceInterval}`,
    `- Ranking: ${board.formula.ranking}`,
    '',
  ];
  return lines.join('\n');
}

const formatScore = (e: LeaderboardEntry) => (e.score.mean === null ? '-' : `${e.score.mean.toFixed(3)} ± ${(e.score.std ?? 0).toFixed(3)}`);
const num = (value: number | null) => (value === null ? '-' : String(Math.round(value)));
const oneLine = (text: string) => text.replace(/\s+/g, ' ');
const cell = (text: string) => oneLine(text).replace(/\|/g, '\\|');
const bar = (mean: number | null) => (mean === null ? '-' : '█'.repeat(Math.round(mean * 20)).padEnd(20, '·'));
const envValue = (value: string) => (/^[A-Za-z0-9_.\-/:]+$/.test(value) ? value : JSON.stringify(value));
