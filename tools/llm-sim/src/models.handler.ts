import type { EndpointResult } from './llm-sim.state';

/** The models GET /v1/models lists; the endpoints accept any model name. */
export const LISTED_MODELS = [
  'sim-large',
  'sim-small',
  'gpt-4o-mini',
  'gpt-4.1-mini',
  'text-embedding-3-small',
  'text-embedding-3-large',
] as const;

// A fixed timestamp keeps the listing byte-identical between runs.
const MODELS_CREATED_AT = 1_700_000_000;

export function listModels(): EndpointResult {
  return {
    body: {
      object: 'list',
      data: LISTED_MODELS.map((id) => ({ id, object: 'model', created: MODELS_CREATED_AT, owned_by: 'llm-sim' })),
    },
  };
}

export function retrieveModel(id: string): EndpointResult {
  return { body: { id, object: 'model', created: MODELS_CREATED_AT, owned_by: 'llm-sim' } };
}
