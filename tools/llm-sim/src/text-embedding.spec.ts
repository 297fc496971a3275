import { cosineSimilarity, embedText, encodeEmbeddingBase64 } from './text-embedding';

const norm = (vector: Float32Array): number => Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0));

describe('embedText', () => {
  it('returns unit vectors of the requested length', () => {
    for (const dimensions of [8, 256, 1536]) {
      const vector = embedText('The cat sat on the mat', dimensions);
      expect(vector).toHaveLength(dimensions);
      expect(norm(vector)).toBeCloseTo(1, 5);
    }
  });

  it('is deterministic', () => {
    expect(embedText('same words here')).toEqual(embedText('same words here'));
  });

  it('ignores case and punctuation', () => {
    expect(cosineSimilarity(embedText('Hello, World!'), embedText('hello world'))).toBeCloseTo(1, 5);
  });

  it('puts texts that share words closer than unrelated texts', () => {
    const anchor = embedText('the capital city of France is Paris');
    const related = embedText('Paris is the largest city in France');
    const unrelated = embedText('photosynthesis converts sunlight into chemical energy');
    expect(cosineSimilarity(anchor, related)).toBeGreaterThan(0.4);
    expect(Math.abs(cosineSimilarity(anchor, unrelated))).toBeLessThan(0.25);
  });

  it('tokenises non-Latin scripts', () => {
    const a = embedText('Москва столица России');
    expect(cosineSimilarity(a, embedText('столица России Москва'))).toBeGreaterThan(0.5);
    expect(norm(embedText('東京 大阪'))).toBeCloseTo(1, 5);
  });

  it('maps empty or symbol-only text to a fixed unit vector, never NaN', () => {
    for (const text of ['', '   ', '?!…']) {
      const vector = embedText(text, 16);
      expect(norm(vector)).toBeCloseTo(1, 6);
      expect(vector.some(Number.isNaN)).toBe(false);
      expect(vector).toEqual(embedText('', 16));
    }
  });
});

describe('encodeEmbeddingBase64', () => {
  it('encodes little-endian Float32 that decodes to the same values', () => {
    const vector = embedText('round trip', 32);
    const bytes = Buffer.from(encodeEmbeddingBase64(vector), 'base64');
    const decoded = Array.from({ length: 32 }, (_, i) => bytes.readFloatLE(i * 4));
    expect(decoded).toEqual(Array.from(vector));
  });
});
