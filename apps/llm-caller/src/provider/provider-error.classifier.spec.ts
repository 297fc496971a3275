import OpenAI from 'openai';
import { classifyProviderError, retryAfterMs } from './provider-error.classifier';

const apiError = (status: number, code?: string, headers: Record<string, string> = {}) =>
  OpenAI.APIError.generate(status, { error: { message: `status ${status}`, code } }, undefined, new Headers(headers));

describe(classifyProviderError.name, () => {
  it('retries a 429 no sooner than its retry-after', () => {
    expect(classifyProviderError(apiError(429, 'rate_limit_exceeded', { 'retry-after': '2' }))).toMatchObject({
      code: 'rate_limited', retryable: true, retryAfterMs: 2_000,
    });
  });

  it('does not retry insufficient_quota: waiting would not help', () => {
    expect(classifyProviderError(apiError(429, 'insufficient_quota'))).toMatchObject({ code: 'insufficient_quota', retryable: false });
  });

  it('retries 5xx and timeouts, fails 400 and 401 at once', () => {
    expect(classifyProviderError(apiError(503)).retryable).toBe(true);
    expect(classifyProviderError(new OpenAI.APIConnectionTimeoutError()).code).toBe('timeout');
    expect(classifyProviderError(apiError(400, 'invalid_request_error')).retryable).toBe(false);
    expect(classifyProviderError(apiError(401))).toMatchObject({ code: 'invalid_api_key', retryable: false });
  });
});

describe(retryAfterMs.name, () => {
  it('prefers retry-after-ms and reads HTTP dates', () => {
    expect(retryAfterMs(new Headers({ 'retry-after-ms': '250', 'retry-after': '9' }))).toBe(250);
    expect(retryAfterMs(new Headers({ 'retry-after': new Date(10_000).toUTCString() }), 4_000)).toBe(6_000);
  });
});
