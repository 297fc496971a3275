import { CosineSimilarityScorerConfig, ScorerName } from '@yardstick/contracts';
import { Scorer, ScorerInput, ScoreValue } from '../scorer';
import { ScorerError, ScorerErrorCode } from '../scorer.error';

const NAME = ScorerName.CosineSimilarity;

/**
 * How close the output's meaning is to the ground truth's: the cosine of their embeddings.
 *
 * The value is the cosine clamped to [0, 1]. A negative cosine (embeddings pointing away from each other)
 * scores 0, the same as an unrelated answer: the score measures closeness, and "opposite" is not partly right.
 * The clamp at 1 only absorbs rounding for (near-)identical vectors. The raw cosine is kept in `details.cosine`.
 * `passed` (value >= threshold) only when the config sets a threshold.
 */
export class CosineSimilarityScorer implements Scorer<typeof NAME, CosineSimilarityScorerConfig> {
  readonly name = NAME;

  prepare(config: CosineSimilarityScorerConfig): CosineSimilarityScorerConfig {
    return config;
  }

  score(input: ScorerInput, config: CosineSimilarityScorerConfig): ScoreValue {
    const cosine = cosineSimilarity(
      required(input.outputEmbedding, 'outputEmbedding'),
      required(input.groundTruthEmbedding, 'groundTruthEmbedding'),
    );
    const value = Math.min(1, Math.max(0, cosine));
    return { value, ...(config.threshold === undefined ? {} : { passed: value >= config.threshold }), details: { cosine } };
  }
}

/** Cosine of two vectors of the same length, in [-1, 1]. Throws a ScorerError for vectors it is undefined for. */
export function cosineSimilarity(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) {
    throw new ScorerError(NAME, ScorerErrorCode.DimensionMismatch, `outputEmbedding has ${a.length} dimensions, groundTruthEmbedding has ${b.length}`);
  }
  // Dividing each vector by its largest magnitude leaves the cosine unchanged and keeps the sums from overflowing or underflowing.
  const scaleA = largestMagnitude(a, 'outputEmbedding');
  const scaleB = largestMagnitude(b, 'groundTruthEmbedding');
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] / scaleA;
    const y = b[i] / scaleB;
    dot += x * y;
    normA += x * x;
    normB += y * y;
  }
  return Math.min(1, Math.max(-1, dot / Math.sqrt(normA * normB)));
}

function required(vector: number[] | undefined, field: string): number[] {
  if (!vector || vector.length === 0) throw new ScorerError(NAME, ScorerErrorCode.MissingInput, `${field} is missing or empty`);
  return vector;
}

function largestMagnitude(vector: readonly number[], field: string): number {
  let largest = 0;
  for (const component of vector) {
    if (!Number.isFinite(component)) throw new ScorerError(NAME, ScorerErrorCode.NonFiniteInput, `${field} contains ${component}`);
    largest = Math.max(largest, Math.abs(component));
  }
  if (largest === 0) throw new ScorerError(NAME, ScorerErrorCode.ZeroVector, `${field} is a zero vector: its cosine is undefined`);
  return largest;
}
