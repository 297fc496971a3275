import { ItemWorkRef, ScoreItemCommand, ScorerConfigs, ScorerName, TokenUsage } from '@yardstick/contracts';

/**
 * What a scorer may look at: the item's texts and, when the embeddings stage ran, their embeddings; for a scorer that calls
 * a model (llm_judge), also the item's question, identity and the run's cache mode.
 */
export type ScorerInput = Pick<ScoreItemCommand, 'output' | 'groundTruth' | 'outputEmbedding' | 'groundTruthEmbedding' | 'question' | 'cacheMode'>
  & Partial<ItemWorkRef>;

/** What a scorer's provider call used: attributed to the run's scoring stage. */
export interface ProviderSpend {
  usage: TokenUsage;
  latencyMs: number;
  costUsd: number;
  cacheHit: boolean;
  savedTokens: number;
  savedCostUsd: number;
  warnings?: string[];
}

export interface ScoreValue {
  /** In [0, 1]; 1 is a perfect match. */
  value: number;
  /** Only for scorers with a pass/fail verdict. */
  passed?: boolean;
  /** Shown on the item; keys are snake_case because they reach the public API as they are. */
  details?: Record<string, unknown>;
  /** Only for scorers that call a model. */
  spend?: ProviderSpend;
}

/**
 * One way of scoring an item. Must be deterministic (same input, same value): a redelivered command
 * has to produce the same ItemScored event (a scorer that calls a model gets the recorded answer again from llm-caller's
 * ledger). Throws a ScorerError when the input cannot be scored. Synchronous unless it calls a model (R is then a Promise).
 *
 * `prepare` turns a validated config (its class in @yardstick/contracts) into what `score` uses, such as a compiled regex
 * or schema validator. It runs once per distinct config, not per item.
 */
export interface Scorer<N extends ScorerName = ScorerName, P = unknown, R extends ScoreValue | Promise<ScoreValue> = ScoreValue | Promise<ScoreValue>> {
  readonly name: N;
  prepare(config: ScorerConfigs[N]): P;
  score(input: ScorerInput, prepared: P): R;
}
