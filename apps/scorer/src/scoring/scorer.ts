import { ScoreItemCommand, ScorerName } from '@yardstick/contracts';

/** What a scorer may look at: the item's texts and, when the embeddings stage ran, their embeddings. */
export type ScorerInput = Pick<ScoreItemCommand, 'output' | 'groundTruth' | 'outputEmbedding' | 'groundTruthEmbedding'>;

export interface ScoreValue {
  /** In [0, 1]; 1 is a perfect match. */
  value: number;
  /** Only for scorers with a pass/fail threshold. */
  passed?: boolean;
  details?: Record<string, unknown>;
}

/**
 * One way of scoring an item. Must be deterministic (same input, same value): a redelivered command
 * has to produce the same ItemScored event. Throws a ScorerError when the input cannot be scored.
 */
export interface Scorer<N extends ScorerName = ScorerName> {
  readonly name: N;
  score(input: ScorerInput): ScoreValue;
}
