import { checkAccuracyMap, checkMilliseconds, checkRate, SimConfigError } from './sim-config.error';
import { checkFaultTotal, type SimConfig } from './sim-config';

/** The snake_case JSON of GET /sim/config and PUT /sim/config. */
export interface SimConfigJson {
  latency: { responses_ms: number; responses_jitter_ms: number; embeddings_ms: number };
  faults: { rate_429: number; rate_500: number; rate_400: number; rate_hang: number; retry_after_ms: number };
  accuracy: Record<string, number>;
}

export function simConfigToJson(config: SimConfig): SimConfigJson {
  return {
    latency: {
      responses_ms: config.latency.responsesMs,
      responses_jitter_ms: config.latency.responsesJitterMs,
      embeddings_ms: config.latency.embeddingsMs,
    },
    faults: {
      rate_429: config.faults.rate429,
      rate_500: config.faults.rate500,
      rate_400: config.faults.rate400,
      rate_hang: config.faults.rateHang,
      retry_after_ms: config.faults.retryAfterMs,
    },
    accuracy: { ...config.accuracy },
  };
}

function section(body: Record<string, unknown>, name: string): Record<string, unknown> {
  const value = body[name];
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new SimConfigError(name, 'must be an object');
  }
  return value as Record<string, unknown>;
}

function pick<T>(source: Record<string, unknown>, key: string, fallback: T, check: (value: unknown) => T): T {
  return source[key] === undefined ? fallback : check(source[key]);
}

/** A new config with the given fields changed; fields left out keep their value, accuracy entries merge. */
export function applySimConfigPatch(config: SimConfig, body: unknown): SimConfig {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new SimConfigError('body', 'must be a JSON object');
  }
  const input = body as Record<string, unknown>;
  const latency = section(input, 'latency');
  const faults = section(input, 'faults');
  const ms = (path: string) => (value: unknown) => checkMilliseconds(value, path);
  const rate = (path: string) => (value: unknown) => checkRate(value, path);
  const next: SimConfig = {
    latency: {
      responsesMs: pick(latency, 'responses_ms', config.latency.responsesMs, ms('latency.responses_ms')),
      responsesJitterMs: pick(latency, 'responses_jitter_ms', config.latency.responsesJitterMs, ms('latency.responses_jitter_ms')),
      embeddingsMs: pick(latency, 'embeddings_ms', config.latency.embeddingsMs, ms('latency.embeddings_ms')),
    },
    faults: {
      rate429: pick(faults, 'rate_429', config.faults.rate429, rate('faults.rate_429')),
      rate500: pick(faults, 'rate_500', config.faults.rate500, rate('faults.rate_500')),
      rate400: pick(faults, 'rate_400', config.faults.rate400, rate('faults.rate_400')),
      rateHang: pick(faults, 'rate_hang', config.faults.rateHang, rate('faults.rate_hang')),
      retryAfterMs: pick(faults, 'retry_after_ms', config.faults.retryAfterMs, ms('faults.retry_after_ms')),
    },
    accuracy: { ...config.accuracy, ...(input.accuracy === undefined ? {} : checkAccuracyMap(input.accuracy, 'accuracy')) },
  };
  checkFaultTotal(next.faults, 'faults');
  return next;
}
