import { checkInteger, checkMilliseconds, SimConfigError } from './sim-config.error';

/** The Batch API's clock and limits; every duration is divided by `speed`. */
export interface BatchSettings {
  /** Time spent in `validating` before the input file is checked. */
  validatingMs: number;
  /** Time per request while `in_progress` (the batch takes requestMs × requests). */
  requestMs: number;
  /** Time spent in `finalizing` (and in `cancelling`) before the end state. */
  finalizingMs: number;
  /** The completion window ("24h"): a batch not finished by then expires. */
  completionWindowMs: number;
  /** Clock factor: 2 runs everything twice as fast, 0.001 stretches seconds into about a quarter hour. */
  speed: number;
  /** Requests per input file (OpenAI: 50,000). */
  maxRequests: number;
  /** Bytes per uploaded file (OpenAI: 200 MB for batch input). */
  maxFileBytes: number;
  /** Embedding inputs across one batch (OpenAI: 50,000). */
  maxEmbeddingInputs: number;
}

export const DEFAULT_BATCH_SETTINGS: Readonly<BatchSettings> = {
  validatingMs: 200,
  requestMs: 2,
  finalizingMs: 200,
  completionWindowMs: 24 * 60 * 60 * 1000,
  speed: 1,
  maxRequests: 50_000,
  maxFileBytes: 200 * 1024 * 1024,
  maxEmbeddingInputs: 50_000,
};

export function checkSpeed(value: unknown, setting: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new SimConfigError(setting, `must be a positive number, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** Checks every field; `names` maps a field to the name the caller knows it by (option, env var or JSON field). */
export function checkBatchSettings(settings: BatchSettings, names: Record<keyof BatchSettings, string>): BatchSettings {
  checkMilliseconds(settings.validatingMs, names.validatingMs);
  checkMilliseconds(settings.requestMs, names.requestMs);
  checkMilliseconds(settings.finalizingMs, names.finalizingMs);
  checkMilliseconds(settings.completionWindowMs, names.completionWindowMs);
  checkSpeed(settings.speed, names.speed);
  checkInteger(settings.maxRequests, names.maxRequests, 1, Number.MAX_SAFE_INTEGER);
  checkInteger(settings.maxFileBytes, names.maxFileBytes, 1, Number.MAX_SAFE_INTEGER);
  checkInteger(settings.maxEmbeddingInputs, names.maxEmbeddingInputs, 1, Number.MAX_SAFE_INTEGER);
  return settings;
}

const OPTION_NAMES = Object.fromEntries(
  Object.keys(DEFAULT_BATCH_SETTINGS).map((key) => [key, `batch.${key}`]),
) as Record<keyof BatchSettings, string>;

export function resolveBatchSettings(partial: Partial<BatchSettings> = {}): BatchSettings {
  const defined = Object.fromEntries(Object.entries(partial).filter(([, value]) => value !== undefined));
  return checkBatchSettings({ ...DEFAULT_BATCH_SETTINGS, ...defined }, OPTION_NAMES);
}

/** A duration on the simulated clock, in real milliseconds. */
export function scaled(settings: BatchSettings, ms: number): number {
  return ms / settings.speed;
}
