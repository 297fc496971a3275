// The workspace jest config has no setupFiles; decorators in contracts need the Reflect polyfill.
import 'reflect-metadata';
import { scoreWith } from '../../../test/scorer-harness';
import { ScorerError, ScorerErrorCode } from '../scorer.error';
import { CosineSimilarityScorer, cosineSimilarity } from './cosine-similarity.scorer';

const texts = { output: 'a', groundTruth: 'b' };

function scoreOf(outputEmbedding?: number[], groundTruthEmbedding?: number[], config?: object) {
  return scoreWith(new CosineSimilarityScorer(), config, { ...texts, outputEmbedding, groundTruthEmbedding });
}

function errorCodeOf(run: () => unknown): ScorerErrorCode | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof ScorerError) return error.code;
    throw error;
  }
  return undefined;
}

describe(CosineSimilarityScorer.name, () => {
  it('scores identical vectors 1', () => {
    expect(scoreOf([0.1, -0.7, 0.3], [0.1, -0.7, 0.3]).value).toBe(1);
  });

  it('scores orthogonal vectors 0', () => {
    expect(scoreOf([1, 0, 0], [0, 1, 0]).value).toBe(0);
  });

  it('scores opposite vectors 0, keeping the raw cosine -1 in details', () => {
    const score = scoreOf([1, 2, 3], [-1, -2, -3]);
    expect(score.value).toBe(0);
    expect(score.details?.cosine).toBeCloseTo(-1, 12);
  });

  it('is the cosine for vectors between orthogonal and identical', () => {
    expect(scoreOf([1, 0], [1, 1]).value).toBeCloseTo(Math.SQRT1_2, 12);
  });

  it('does not depend on the length of either vector', () => {
    const a = [0.3, -0.2, 0.9, 0.05];
    const b = [0.1, 0.4, 0.8, -0.3];
    const base = cosineSimilarity(a, b);
    expect(cosineSimilarity(a.map((x) => x * 1e6), b)).toBeCloseTo(base, 12);
    expect(cosineSimilarity(a, b.map((x) => x * 1e-6))).toBeCloseTo(base, 12);
    expect(cosineSimilarity(a.map((x) => x * 1e200), b.map((x) => x * 1e-200))).toBeCloseTo(base, 12);
  });

  it('rejects a missing or empty embedding', () => {
    expect(errorCodeOf(() => scoreOf(undefined, [1]))).toBe(ScorerErrorCode.MissingInput);
    expect(errorCodeOf(() => scoreOf([1], []))).toBe(ScorerErrorCode.MissingInput);
  });

  it('rejects vectors of different lengths', () => {
    expect(errorCodeOf(() => scoreOf([1, 2], [1, 2, 3]))).toBe(ScorerErrorCode.DimensionMismatch);
  });

  it('rejects a zero vector, whose cosine is undefined', () => {
    expect(errorCodeOf(() => scoreOf([0, 0, 0], [1, 2, 3]))).toBe(ScorerErrorCode.ZeroVector);
    expect(errorCodeOf(() => scoreOf([1, 2, 3], [0, 0, 0]))).toBe(ScorerErrorCode.ZeroVector);
  });

  it('rejects non-finite components', () => {
    expect(errorCodeOf(() => scoreOf([1, Number.NaN], [1, 2]))).toBe(ScorerErrorCode.NonFiniteInput);
    expect(errorCodeOf(() => scoreOf([1, 2], [Number.POSITIVE_INFINITY, 2]))).toBe(ScorerErrorCode.NonFiniteInput);
  });

  it('reports no verdict without a threshold', () => {
    expect(scoreOf([1, 0], [1, 1])).not.toHaveProperty('passed');
  });

  it('passes when the value reaches the threshold, and fails below it', () => {
    expect(scoreOf([1, 0], [1, 1], { threshold: 0.7 }).passed).toBe(true);
    expect(scoreOf([1, 0], [1, 1], { threshold: 0.71 }).passed).toBe(false);
    expect(scoreOf([1, 0], [1, 0], { threshold: 1 }).passed).toBe(true);
  });

  it('names the scorer in its error message', () => {
    expect(() => scoreOf([1], [1, 2])).toThrow(/^cosine_similarity: /);
  });
});
