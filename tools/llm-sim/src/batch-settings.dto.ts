import { type BatchSettings, checkBatchSettings } from './batch-settings';
import { SimConfigError } from './sim-config.error';

/** The snake_case JSON of GET and PUT /sim/batch-config. */
export interface BatchSettingsJson {
  validating_ms: number;
  request_ms: number;
  finalizing_ms: number;
  completion_window_ms: number;
  speed: number;
  max_requests: number;
  max_file_bytes: number;
  max_embedding_inputs: number;
}

const JSON_NAMES: Record<keyof BatchSettings, keyof BatchSettingsJson> = {
  validatingMs: 'validating_ms',
  requestMs: 'request_ms',
  finalizingMs: 'finalizing_ms',
  completionWindowMs: 'completion_window_ms',
  speed: 'speed',
  maxRequests: 'max_requests',
  maxFileBytes: 'max_file_bytes',
  maxEmbeddingInputs: 'max_embedding_inputs',
};

export function batchSettingsToJson(settings: BatchSettings): BatchSettingsJson {
  const entries = Object.entries(JSON_NAMES).map(([key, name]) => [name, settings[key as keyof BatchSettings]]);
  return Object.fromEntries(entries) as unknown as BatchSettingsJson;
}

/** New settings with the given fields changed; unknown fields are refused so a typo does not pass silently. */
export function applyBatchSettingsPatch(settings: BatchSettings, body: unknown): BatchSettings {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new SimConfigError('body', 'must be a JSON object');
  const known = new Set<string>(Object.values(JSON_NAMES));
  const unknown = Object.keys(body).find((name) => !known.has(name));
  if (unknown !== undefined) throw new SimConfigError(unknown, `is not a batch setting (known: ${[...known].join(', ')})`);
  const input = body as Record<string, unknown>;
  const next = { ...settings };
  for (const [key, name] of Object.entries(JSON_NAMES) as [keyof BatchSettings, string][]) {
    if (input[name] !== undefined) next[key] = input[name] as number;
  }
  return checkBatchSettings(next, JSON_NAMES);
}
