import { hash32 } from './deterministic-random';

/** Default vector length when a request gives no `dimensions`. */
export const DEFAULT_EMBEDDING_DIMENSIONS = 256;
export const MAX_EMBEDDING_DIMENSIONS = 4096;

const WORD = /[\p{L}\p{N}]+/gu;
const INDEX_SALT = 0x1f3d5b79;
const SIGN_SALT = 0x7a3c5e11;
const BIGRAM_WEIGHT = 0.5;

export function embeddingWords(text: string): string[] {
  return text.normalize('NFKC').toLowerCase().match(WORD) ?? [];
}

/**
 * Feature-hashes lowercased unigrams and bigrams into a signed, L2-normalised vector, so texts that
 * share words have a high cosine and unrelated texts are near orthogonal.
 */
export function embedText(text: string, dimensions = DEFAULT_EMBEDDING_DIMENSIONS): Float32Array {
  const words = embeddingWords(text);
  const sums = new Float64Array(dimensions);
  const add = (feature: string, weight: number): void => {
    const sign = hash32(feature, SIGN_SALT) & 1 ? 1 : -1;
    sums[hash32(feature, INDEX_SALT) % dimensions] += sign * weight;
  };
  for (let i = 0; i < words.length; i++) {
    add(words[i], 1);
    if (i > 0) add(`${words[i - 1]} ${words[i]}`, BIGRAM_WEIGHT);
  }
  const vector = new Float32Array(dimensions);
  let norm = 0;
  for (const value of sums) norm += value * value;
  norm = Math.sqrt(norm);
  // Collisions can cancel every feature; both that and empty text fall back to a fixed unit vector.
  if (norm === 0) {
    vector[0] = 1;
    return vector;
  }
  for (let i = 0; i < dimensions; i++) vector[i] = sums[i] / norm;
  return vector;
}

/** Little-endian Float32 bytes in base64, as the OpenAI API answers `encoding_format: "base64"`. */
export function encodeEmbeddingBase64(vector: Float32Array): string {
  const bytes = Buffer.alloc(vector.length * 4);
  for (let i = 0; i < vector.length; i++) bytes.writeFloatLE(vector[i], i * 4);
  return bytes.toString('base64');
}

export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    normA += a[i] * a[i];
    normB += b[i] * b[i];
  }
  return normA === 0 || normB === 0 ? 0 : dot / Math.sqrt(normA * normB);
}
