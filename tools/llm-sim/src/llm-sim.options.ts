import type { AnswerKeyItem } from './answer-key';
import type { BatchSettings } from './batch-settings';
import { checkAccuracyMap, checkInteger, checkMilliseconds, checkRate, SimConfigError } from './sim-config.error';

/** Everything that shapes the simulator; `startLlmSim` fills what is left out from DEFAULT_LLM_SIM_OPTIONS. */
export interface LlmSimOptions {
  /** Interface to listen on. */
  host: string;
  /** TCP port; 0 picks a free one (read it back from the handle). */
  port: number;
  /** Seeds every deterministic choice: answers, fault and jitter sequences. */
  seed: number;
  /** Answer-key rows loaded at start. */
  answerKey: AnswerKeyItem[];
  /** A CSV with question,answer columns, loaded at start after `answerKey`. */
  answerKeyPath?: string;
  /** Fixed latency of /v1/responses and /v1/chat/completions. */
  latencyMs: number;
  /** Uniform extra latency in [0, latencyJitterMs) for /v1/responses and /v1/chat/completions. */
  latencyJitterMs: number;
  /** Fixed latency of /v1/embeddings. */
  embedLatencyMs: number;
  /** When set, /v1 requests must carry `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
  fault429Rate: number;
  fault500Rate: number;
  fault400Rate: number;
  /** Share of requests never answered until the client disconnects. */
  faultHangRate: number;
  /** Advertised in retry-after / retry-after-ms on injected 429s. */
  retryAfterMs: number;
  /** Probability of the correct answer per model, merged over the defaults; key `*` is any other model. */
  accuracy: Record<string, number>;
  /** Request bodies above this size get 413. */
  maxBodyBytes: number;
  /** How many requests GET /sim/requests keeps (arrival time and outcome per fingerprint); 0 = off. */
  requestLogLimit: number;
  /** The Batch API's clock and limits, merged over DEFAULT_BATCH_SETTINGS. */
  batch?: Partial<BatchSettings>;
}

/** Keeps the request log's memory bounded (a logged request is about 200 bytes). */
export const MAX_REQUEST_LOG_LIMIT = 1_000_000;

/** Accuracy for models not listed under their own name. */
export const ANY_MODEL = '*';

export const DEFAULT_ACCURACY: Readonly<Record<string, number>> = { 'sim-large': 0.9, 'sim-small': 0.6, [ANY_MODEL]: 0.75 };

export const DEFAULT_LLM_SIM_OPTIONS: Readonly<LlmSimOptions> = {
  host: '127.0.0.1',
  port: 4010,
  seed: 0,
  answerKey: [],
  latencyMs: 0,
  latencyJitterMs: 0,
  embedLatencyMs: 0,
  fault429Rate: 0,
  fault500Rate: 0,
  fault400Rate: 0,
  faultHangRate: 0,
  retryAfterMs: 1000,
  accuracy: {},
  maxBodyBytes: 10 * 1024 * 1024,
  requestLogLimit: 0,
};

/** Merges with the defaults and rejects unusable values with a SimConfigError naming the option. */
export function resolveLlmSimOptions(options: Partial<LlmSimOptions> = {}): LlmSimOptions {
  const defined = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
  const resolved: LlmSimOptions = { ...DEFAULT_LLM_SIM_OPTIONS, ...defined };
  checkInteger(resolved.port, 'port', 0, 65535);
  checkInteger(resolved.seed, 'seed', Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  checkMilliseconds(resolved.latencyMs, 'latencyMs');
  checkMilliseconds(resolved.latencyJitterMs, 'latencyJitterMs');
  checkMilliseconds(resolved.embedLatencyMs, 'embedLatencyMs');
  checkMilliseconds(resolved.retryAfterMs, 'retryAfterMs');
  const rates = ['fault429Rate', 'fault500Rate', 'fault400Rate', 'faultHangRate'] as const;
  for (const rate of rates) checkRate(resolved[rate], rate);
  if (rates.reduce((sum, rate) => sum + resolved[rate], 0) > 1) {
    throw new SimConfigError('fault rates', 'fault429Rate + fault500Rate + fault400Rate + faultHangRate must not exceed 1');
  }
  resolved.accuracy = { ...DEFAULT_ACCURACY, ...checkAccuracyMap(resolved.accuracy, 'accuracy') };
  checkInteger(resolved.maxBodyBytes, 'maxBodyBytes', 1, Number.MAX_SAFE_INTEGER);
  checkInteger(resolved.requestLogLimit, 'requestLogLimit', 0, MAX_REQUEST_LOG_LIMIT);
  return resolved;
}
