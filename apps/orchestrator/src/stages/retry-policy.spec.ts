import { nextAttemptAt } from './retry-policy';

const options = { maxAttempts: 3, baseDelayMs: 1_000, maxDelayMs: 10_000 };
const transient = { code: 'provider_error', message: '500', retryable: true };

describe(nextAttemptAt.name, () => {
  it('fails a permanent error at once', () => {
    expect(nextAttemptAt({ ...transient, retryable: false }, 1, options)).toBeNull();
  });

  it('backs off exponentially within half to all of the ceiling', () => {
    expect(nextAttemptAt(transient, 2, options, 0, () => 0)!.getTime()).toBe(1_000);
    expect(nextAttemptAt(transient, 2, options, 0, () => 1)!.getTime()).toBe(2_000);
  });

  it('never retries sooner than the provider asked', () => {
    expect(nextAttemptAt({ ...transient, retryAfterMs: 7_000 }, 1, options, 0, () => 0)!.getTime()).toBe(7_000);
  });
});
