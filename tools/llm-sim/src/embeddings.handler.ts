import type { EndpointResult } from './llm-sim.state';
import { OpenAiApiError } from './openai-api.error';
import { asBody, optionalInteger, requiredString } from './request-fields';
import { DEFAULT_EMBEDDING_DIMENSIONS, embedText, encodeEmbeddingBase64, MAX_EMBEDDING_DIMENSIONS } from './text-embedding';
import { countTokens } from './token-counter';

function inputTexts(input: unknown): string[] {
  if (typeof input === 'string') return [input];
  if (Array.isArray(input) && input.length > 0 && input.every((item) => typeof item === 'string')) return input as string[];
  throw OpenAiApiError.invalidRequest(
    "Invalid 'input': llm-sim accepts a string or a non-empty array of strings (token arrays are not supported).",
    'input',
  );
}

/** POST /v1/embeddings: feature-hashed vectors, as floats or as base64 little-endian Float32. */
export function createEmbeddings(rawBody: unknown): EndpointResult {
  const body = asBody(rawBody);
  const model = requiredString(body, 'model');
  const texts = inputTexts(body.input);
  const format = body.encoding_format ?? 'float';
  if (format !== 'float' && format !== 'base64') {
    throw OpenAiApiError.invalidRequest("Invalid 'encoding_format': expected 'float' or 'base64'.", 'encoding_format');
  }
  const dimensions = optionalInteger(body, 'dimensions', 1) ?? DEFAULT_EMBEDDING_DIMENSIONS;
  if (dimensions > MAX_EMBEDDING_DIMENSIONS) {
    throw OpenAiApiError.invalidRequest(`Invalid 'dimensions': at most ${MAX_EMBEDDING_DIMENSIONS}.`, 'dimensions');
  }
  const tokens = texts.reduce((sum, text) => sum + countTokens(text), 0);
  return {
    body: {
      object: 'list',
      data: texts.map((text, index) => {
        const vector = embedText(text, dimensions);
        return { object: 'embedding', index, embedding: format === 'base64' ? encodeEmbeddingBase64(vector) : Array.from(vector) };
      }),
      model,
      usage: { prompt_tokens: tokens, total_tokens: tokens },
    },
  };
}
