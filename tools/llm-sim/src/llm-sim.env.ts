import { loadAnswerKeyCsv } from './answer-key.loader';
import { batchSettingsFromEnv } from './batch-settings.env';
import { type LlmSimOptions, MAX_REQUEST_LOG_LIMIT } from './llm-sim.options';
import { checkAccuracyMap, checkInteger, checkMilliseconds, checkRate, SimConfigError } from './sim-config.error';

type Env = Record<string, string | undefined>;

function read(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === '' ? undefined : value;
}

function number(env: Env, name: string): number | undefined {
  const raw = read(env, name);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new SimConfigError(name, `must be a number, got "${raw}"`);
  return value;
}

function optional<T>(value: number | undefined, check: (value: number) => T): T | undefined {
  return value === undefined ? undefined : check(value);
}

function accuracy(env: Env): Record<string, number> | undefined {
  const raw = read(env, 'LLM_SIM_ACCURACY');
  if (raw === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new SimConfigError('LLM_SIM_ACCURACY', 'must be JSON like {"sim-large":0.9,"sim-small":0.6}');
  }
  return checkAccuracyMap(parsed, 'LLM_SIM_ACCURACY');
}

function answerKey(env: Env): LlmSimOptions['answerKey'] | undefined {
  const path = read(env, 'LLM_SIM_ANSWER_KEY');
  if (path === undefined) return undefined;
  try {
    return loadAnswerKeyCsv(path);
  } catch (error) {
    throw new SimConfigError('LLM_SIM_ANSWER_KEY', `cannot load ${path}: ${(error as Error).message}`);
  }
}

/** Reads the LLM_SIM_* variables; an unusable value throws a SimConfigError naming the variable. */
export function llmSimOptionsFromEnv(env: Env): Partial<LlmSimOptions> {
  const rate = (name: string) => optional(number(env, name), (value) => checkRate(value, name));
  const ms = (name: string) => optional(number(env, name), (value) => checkMilliseconds(value, name));
  const options: Partial<LlmSimOptions> = {
    host: read(env, 'LLM_SIM_HOST'),
    port: optional(number(env, 'LLM_SIM_PORT'), (value) => checkInteger(value, 'LLM_SIM_PORT', 0, 65535)),
    seed: optional(number(env, 'LLM_SIM_SEED'), (value) =>
      checkInteger(value, 'LLM_SIM_SEED', Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER),
    ),
    answerKey: answerKey(env),
    latencyMs: ms('LLM_SIM_LATENCY_MS'),
    latencyJitterMs: ms('LLM_SIM_LATENCY_JITTER_MS'),
    embedLatencyMs: ms('LLM_SIM_EMBED_LATENCY_MS'),
    apiKey: read(env, 'LLM_SIM_API_KEY'),
    fault429Rate: rate('LLM_SIM_FAULT_429_RATE'),
    fault500Rate: rate('LLM_SIM_FAULT_500_RATE'),
    fault400Rate: rate('LLM_SIM_FAULT_400_RATE'),
    faultHangRate: rate('LLM_SIM_FAULT_HANG_RATE'),
    retryAfterMs: ms('LLM_SIM_RETRY_AFTER_MS'),
    accuracy: accuracy(env),
    requestLogLimit: optional(number(env, 'LLM_SIM_REQUEST_LOG_LIMIT'), (value) =>
      checkInteger(value, 'LLM_SIM_REQUEST_LOG_LIMIT', 0, MAX_REQUEST_LOG_LIMIT),
    ),
    batch: batchSettingsFromEnv(env),
  };
  const faultSum = [options.fault429Rate, options.fault500Rate, options.fault400Rate, options.faultHangRate].reduce(
    (sum: number, value) => sum + (value ?? 0),
    0,
  );
  if (faultSum > 1) {
    throw new SimConfigError('LLM_SIM_FAULT_*_RATE', 'the fault rates must not add up to more than 1');
  }
  return options;
}
