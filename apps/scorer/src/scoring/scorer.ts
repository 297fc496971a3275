import { ScoreItemCommand, ScorerConfigs, ScorerName } from '@yardstick/contracts';

/** What a scorer may look at: the item's texts and, when the embeddings stage ran, their embeddings. */
export type ScorerInput = Pick<ScoreItemCommand, 'output' | 'groundTruth' | 'outputEmbedding' | 'groundTruthEmbedding'>;

export interface ScoreValue {
  /** In [0, 1]; 1 is a perfect match. */
  value: number;
  /** Only for scorers with a pass/fail verdict. */
  passed?: boolean;
  /** Shown on the item; keys are snake_case because they reach the public API as they are. */
  details?: Record<string, unknown>;
}

/**
 * One way of scoring an item. Must be deterministic (same input, same value): a redelivered command
 * has to produce the same ItemScored event. Throws a ScorerError when the input cannot be scored.
 *
 * `prepare` turns a validated config (its class in @yardstick/contracts) into what `score` uses, such as a compiled regex
 * or schema validator. It runs once per distinct config, not per item.
 */
export interface Scorer<N extends ScorerName = ScorerName, P = unknown> {
  readonly name: N;
  prepare(config: ScorerConfigs[N]): P;
  score(input: ScorerInput, prepared: P): ScoreValue;
}
