import { type BatchSettings, checkBatchSettings, DEFAULT_BATCH_SETTINGS } from './batch-settings';
import { SimConfigError } from './sim-config.error';

/** The LLM_SIM_BATCH_* variable of each batch setting. */
export const BATCH_ENV_NAMES: Record<keyof BatchSettings, string> = {
  validatingMs: 'LLM_SIM_BATCH_VALIDATING_MS',
  requestMs: 'LLM_SIM_BATCH_REQUEST_MS',
  finalizingMs: 'LLM_SIM_BATCH_FINALIZING_MS',
  completionWindowMs: 'LLM_SIM_BATCH_COMPLETION_WINDOW_MS',
  speed: 'LLM_SIM_BATCH_SPEED',
  maxRequests: 'LLM_SIM_BATCH_MAX_REQUESTS',
  maxFileBytes: 'LLM_SIM_BATCH_MAX_FILE_BYTES',
  maxEmbeddingInputs: 'LLM_SIM_BATCH_MAX_EMBEDDING_INPUTS',
};

/**
 * Reads the LLM_SIM_BATCH_* variables that are set (undefined when none is); an unusable value throws a
 * SimConfigError naming the variable.
 */
export function batchSettingsFromEnv(env: Record<string, string | undefined>): Partial<BatchSettings> | undefined {
  const settings: Partial<BatchSettings> = {};
  for (const [key, name] of Object.entries(BATCH_ENV_NAMES) as [keyof BatchSettings, string][]) {
    const raw = env[name]?.trim();
    if (raw === undefined || raw === '') continue;
    const value = Number(raw);
    if (!Number.isFinite(value)) throw new SimConfigError(name, `must be a number, got "${raw}"`);
    settings[key] = value;
  }
  if (Object.keys(settings).length === 0) return undefined;
  checkBatchSettings({ ...DEFAULT_BATCH_SETTINGS, ...settings }, BATCH_ENV_NAMES);
  return settings;
}
