import { createHash } from 'node:crypto';
import { ModelPriceSpec, ParameterPoint, RunConfigSnapshot } from '@yardstick/contracts';

/** The base config with a point's values applied: what the config's run evaluates. */
export function resolveConfig(base: RunConfigSnapshot, point: ParameterPoint): RunConfigSnapshot {
  const config: RunConfigSnapshot = { ...base, params: { ...(base.params ?? {}) } };
  for (const [name, value] of Object.entries(point)) {
    switch (name) {
      case 'model': config.model = String(value); break;
      case 'prompt_template': config.promptTemplate = String(value); break;
      case 'instructions': config.instructions = String(value); break;
      case 'embedding_model': config.embeddingModel = String(value); break;
      case 'temperature': config.params.temperature = Number(value); break;
      case 'top_p': config.params.topP = Number(value); break;
      case 'max_output_tokens': config.params.maxOutputTokens = Number(value); break;
      case 'seed': config.params.seed = Number(value); break;
      default: throw new Error(`unknown experiment parameter ${name}`);
    }
  }
  return config;
}

/** sha256 of the resolved config's canonical JSON (keys sorted, identity fields left out): equal configs, equal hash. */
export function configHash(config: RunConfigSnapshot): string {
  const { configId: _id, version: _version, ...rest } = config;
  return createHash('sha256').update(canonicalJson(rest)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** What the estimate needs to know about the dataset. */
export interface DatasetStats {
  items: number;
  questionChars: number;
  answerChars: number;
}

/** Output tokens assumed per item when the config sets no max_output_tokens. */
export const ASSUMED_MAX_OUTPUT_TOKENS = 1_024;

/**
 * A worst-case estimate of one config's run: every item's prompt at one token per two characters (BPE tokenizers
 * average about four), the full max_output_tokens, and the output and ground truth embedded. Cost needs a price for
 * the model and the embedding model, else it is null.
 */
export function estimateRun(config: RunConfigSnapshot, stats: DatasetStats, prices: Record<string, ModelPriceSpec> = {}) {
  const perItemPrompt = Math.ceil(((config.instructions?.length ?? 0) + (config.promptTemplate?.length ?? 0)) / 2) + 8;
  const inputTokens = stats.items * perItemPrompt + Math.ceil(stats.questionChars / 2);
  const outputTokens = stats.items * (config.params?.maxOutputTokens ?? ASSUMED_MAX_OUTPUT_TOKENS);
  const embeddingTokens = outputTokens + Math.ceil(stats.answerChars / 2) + stats.items * 2;
  const model = prices[config.model];
  const embedding = prices[config.embeddingModel];
  const costUsd = model && embedding
    ? (inputTokens * model.input + outputTokens * model.output + embeddingTokens * embedding.input) / 1e6
    : null;
  return { tokens: inputTokens + outputTokens + embeddingTokens, costUsd };
}
