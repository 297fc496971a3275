import { DEFAULT_BATCH_SETTINGS, resolveBatchSettings } from './batch-settings';
import { applyBatchSettingsPatch, batchSettingsToJson } from './batch-settings.dto';
import { batchSettingsFromEnv } from './batch-settings.env';

describe('batch settings', () => {
  it('reads LLM_SIM_BATCH_* variables and names a bad one', () => {
    expect(batchSettingsFromEnv({})).toBeUndefined();
    expect(batchSettingsFromEnv({ LLM_SIM_BATCH_SPEED: '3600', LLM_SIM_BATCH_MAX_REQUESTS: '10' })).toEqual({ speed: 3600, maxRequests: 10 });
    expect(() => batchSettingsFromEnv({ LLM_SIM_BATCH_SPEED: '0' })).toThrow(/LLM_SIM_BATCH_SPEED/);
    expect(() => batchSettingsFromEnv({ LLM_SIM_BATCH_REQUEST_MS: 'fast' })).toThrow(/LLM_SIM_BATCH_REQUEST_MS/);
  });

  it('patches from snake_case JSON and refuses unknown or invalid fields by name', () => {
    const patched = applyBatchSettingsPatch(DEFAULT_BATCH_SETTINGS, { request_ms: 5, max_file_bytes: 1000 });
    expect(batchSettingsToJson(patched)).toMatchObject({ request_ms: 5, max_file_bytes: 1000, max_requests: 50_000 });
    expect(() => applyBatchSettingsPatch(DEFAULT_BATCH_SETTINGS, { request_secs: 1 })).toThrow(expect.objectContaining({ setting: 'request_secs' }));
    const fractional = () => applyBatchSettingsPatch(DEFAULT_BATCH_SETTINGS, { max_requests: 1.5 });
    expect(fractional).toThrow(expect.objectContaining({ setting: 'max_requests' }));
  });

  it('keeps the OpenAI limits by default', () => {
    expect(resolveBatchSettings()).toMatchObject({ maxRequests: 50_000, maxFileBytes: 200 * 1024 * 1024, maxEmbeddingInputs: 50_000 });
  });
});
