import { outcomeOfResponse, parseRetryAfter } from './delivery-outcome';

describe(outcomeOfResponse.name, () => {
  it.each([200, 201, 204, 299])('counts %i as delivered', (status) => {
    expect(outcomeOfResponse(status)).toEqual({ kind: 'delivered', responseStatus: status });
  });

  it('counts 410 as gone', () => {
    expect(outcomeOfResponse(410)).toMatchObject({ kind: 'gone', responseStatus: 410 });
  });

  it.each([301, 302, 400, 401, 404, 422, 429, 500, 503])('fails %i, to be retried', (status) => {
    expect(outcomeOfResponse(status)).toMatchObject({ kind: 'failed', responseStatus: status, error: `receiver answered HTTP ${status}` });
  });

  it('honours Retry-After on 429 and 503 only', () => {
    expect(outcomeOfResponse(429, '7')).toMatchObject({ retryAfterMs: 7_000 });
    expect(outcomeOfResponse(503, '7')).toMatchObject({ retryAfterMs: 7_000 });
    expect(outcomeOfResponse(500, '7')).not.toHaveProperty('retryAfterMs');
    expect(outcomeOfResponse(400, '7')).not.toHaveProperty('retryAfterMs');
  });
});

describe(parseRetryAfter.name, () => {
  const now = Date.parse('2024-11-30T10:00:00Z');

  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Sat, 30 Nov 2024 10:00:30 GMT', now)).toBe(30_000);
  });

  it('leaves "now", dates in the past, absent and malformed values to the schedule', () => {
    expect(parseRetryAfter('0', now)).toBeUndefined();
    expect(parseRetryAfter('Sat, 30 Nov 2024 09:00:00 GMT', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });

  it('caps a request longer than a day at a day', () => {
    expect(parseRetryAfter('604800', now)).toBe(86_400_000);
  });
});
