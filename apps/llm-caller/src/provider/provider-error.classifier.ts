import OpenAI from 'openai';
import { StageError } from '@yardstick/contracts';
import { InvalidProviderResponseError } from './invalid-provider-response.error';
import { RateLimitWaitExceeded } from '../rate-limit';

/**
 * Transient: 408/409/429 (except insufficient_quota), 5xx, timeouts, connection failures → the platform retries.
 * Permanent: other 4xx (bad request, auth, not found, content policy) → the item fails at once.
 */
export function classifyProviderError(error: unknown): StageError {
  if (error instanceof RateLimitWaitExceeded) {
    return { code: 'rate_limited', message: `waited too long for the endpoint's rate limit (${error.reason ?? 'limit'})`, retryable: true, retryAfterMs: error.retryAfterMs };
  }
  if (error instanceof InvalidProviderResponseError) {
    return { code: 'invalid_provider_response', message: error.message, retryable: false };
  }
  if (error instanceof OpenAI.APIConnectionTimeoutError) {
    return { code: 'timeout', message: 'the provider did not answer in time', retryable: true };
  }
  if (error instanceof OpenAI.APIConnectionError) {
    return { code: 'connection_error', message: error.message, retryable: true };
  }
  if (error instanceof OpenAI.APIError && typeof error.status === 'number') {
    const status = error.status;
    const code = typeof error.code === 'string' ? error.code : undefined;
    const message = error.message.slice(0, 1000);
    if (status === 429 && code === 'insufficient_quota') {
      return { code: 'insufficient_quota', message, retryable: false, httpStatus: status };
    }
    // The provider's own 401 message can quote part of the key: never pass it on.
    if (status === 401) return { code: 'invalid_api_key', message: 'the provider rejected the API key (401)', retryable: false, httpStatus: status };
    if (status === 429) return { code: 'rate_limited', message, retryable: true, httpStatus: status, retryAfterMs: retryAfterMs(error.headers) };
    if (status >= 500 || status === 408 || status === 409) {
      return { code: 'provider_error', message, retryable: true, httpStatus: status, retryAfterMs: retryAfterMs(error.headers) };
    }
    return { code: code ?? `http_${status}`, message, retryable: false, httpStatus: status };
  }
  return { code: 'internal_error', message: (error as Error)?.message ?? String(error), retryable: true };
}

/** `retry-after-ms` (OpenAI) wins over `retry-after` (seconds or an HTTP date). */
export function retryAfterMs(headers: Headers | undefined, now = Date.now()): number | undefined {
  const ms = Number(headers?.get('retry-after-ms'));
  if (Number.isFinite(ms) && ms > 0) return Math.round(ms);
  const value = headers?.get('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, Math.round(seconds * 1000));
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}
