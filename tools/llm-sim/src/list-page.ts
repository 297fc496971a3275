import { OpenAiApiError } from './openai-api.error';

/**
 * OpenAI's cursor page `{ object: 'list', data, first_id, last_id, has_more }` over items already in list order:
 * `after` is the id of the last item of the previous page, `limit` its size (default 20).
 */
export interface CursorPage<T> {
  object: 'list';
  data: T[];
  first_id: string | null;
  last_id: string | null;
  has_more: boolean;
}

export function cursorPage<T extends { id: string }>(items: T[], query: URLSearchParams, maxLimit: number): CursorPage<T> {
  const rawLimit = query.get('limit');
  const limit = rawLimit === null ? 20 : Number(rawLimit);
  if (!Number.isInteger(limit) || limit < 1 || limit > maxLimit) {
    throw OpenAiApiError.invalidRequest(`Invalid 'limit': expected an integer from 1 to ${maxLimit}.`, 'limit');
  }
  const after = query.get('after');
  const start = after === null ? 0 : items.findIndex((item) => item.id === after) + 1;
  if (after !== null && start === 0) throw OpenAiApiError.invalidRequest(`Invalid 'after': no object with id ${after}.`, 'after');
  const data = items.slice(start, start + limit);
  return {
    object: 'list',
    data,
    first_id: data[0]?.id ?? null,
    last_id: data.at(-1)?.id ?? null,
    has_more: start + limit < items.length,
  };
}
