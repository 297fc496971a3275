import { ModelParams, Stage } from '@yardstick/contracts';

export interface BatchRequestInput {
  itemId: string;
  attempt: number;
  model: string;
  instructions?: string;
  input: string;
  params: ModelParams;
}

/** `<item>:<stage>:<attempt>`: unique within a batch, and it says which attempt a result line answers. */
export function batchCustomId(itemId: string, stage: Stage, attempt: number): string {
  return `${itemId}:${stage}:${attempt}`;
}

export function parseBatchCustomId(customId: string): { itemId: string; stage: Stage; attempt: number } | null {
  const match = /^([0-9a-f-]{36}):([a-z]+):(\d+)$/.exec(customId);
  if (!match || !Object.values(Stage).includes(match[2] as Stage)) return null;
  return { itemId: match[1], stage: match[2] as Stage, attempt: Number(match[3]) };
}

/** One JSONL line of a Batch API input file: the same Responses API request the fast path makes for the item. */
export function responsesRequestLine(request: BatchRequestInput): string {
  return `${JSON.stringify({
    custom_id: batchCustomId(request.itemId, Stage.Responses, request.attempt),
    method: 'POST',
    url: '/v1/responses',
    body: {
      model: request.model,
      input: request.input,
      instructions: request.instructions,
      temperature: request.params.temperature,
      top_p: request.params.topP,
      max_output_tokens: request.params.maxOutputTokens,
    },
  })}\n`;
}

/**
 * One JSONL line of an embeddings batch: the item's output, and its ground truth unless already stored, in one request
 * (`input` in that order). Vectors come back as base64 float32, as the SDK asks on the fast path.
 */
export function embeddingsRequestLine(request: { itemId: string; attempt: number; model: string; texts: string[] }): string {
  return `${JSON.stringify({
    custom_id: batchCustomId(request.itemId, Stage.Embeddings, request.attempt),
    method: 'POST',
    url: '/v1/embeddings',
    body: { model: request.model, input: request.texts, encoding_format: 'base64' },
  })}\n`;
}
