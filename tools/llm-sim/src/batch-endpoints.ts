import { createChatCompletion } from './chat-completions.handler';
import { createEmbeddings } from './embeddings.handler';
import { createResponse } from './responses.handler';
import type { EndpointHandler } from './simulated-endpoint.runner';

/** The endpoints a batch may target, answered by the very handlers of the synchronous routes. */
export const BATCH_ENDPOINTS: ReadonlyMap<string, EndpointHandler> = new Map<string, EndpointHandler>([
  ['/v1/responses', createResponse],
  ['/v1/chat/completions', createChatCompletion],
  ['/v1/embeddings', (body) => createEmbeddings(body)],
]);

/** The only completion window OpenAI accepts. */
export const COMPLETION_WINDOW = '24h';

/** Embedding inputs in one request body: a string counts 1, an array its length. */
export function embeddingInputCount(body: Record<string, unknown>): number {
  return Array.isArray(body.input) ? body.input.length : 1;
}
