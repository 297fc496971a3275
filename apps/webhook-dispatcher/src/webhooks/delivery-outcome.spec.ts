import { outcomeOfResponse, parseRetryAfter } from './delivery-outcome';
import { WebhookDeliveryStatus } from './webhook-delivery.entity';

describe(outcomeOfResponse.name, () => {
  it.each([200, 201, 204, 299])('counts %i as delivered', (status) => {
    expect(outcomeOfResponse(status)).toEqual({ status: WebhookDeliveryStatus.Delivered, responseStatus: status });
  });

  it.each([429, 500, 502, 503, 599])('retries %i', (status) => {
    expect(outcomeOfResponse(status)).toMatchObject({ status: WebhookDeliveryStatus.Failed, responseStatus: status, retryable: true });
  });

  it.each([301, 302, 400, 401, 404, 410, 422])('fails %i for good', (status) => {
    expect(outcomeOfResponse(status)).toMatchObject({ status: WebhookDeliveryStatus.Failed, responseStatus: status, retryable: false });
  });

  it('honours Retry-After on a retryable answer only', () => {
    expect(outcomeOfResponse(429, '7')).toMatchObject({ retryAfterMs: 7_000 });
    expect(outcomeOfResponse(400, '7')).not.toHaveProperty('retryAfterMs');
  });
});

describe(parseRetryAfter.name, () => {
  const now = Date.parse('2024-11-30T10:00:00Z');

  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Sat, 30 Nov 2024 10:00:30 GMT', now)).toBe(30_000);
  });

  it('leaves "now" and dates in the past to the normal backoff', () => {
    expect(parseRetryAfter('0', now)).toBeUndefined();
    expect(parseRetryAfter('Sat, 30 Nov 2024 09:00:00 GMT', now)).toBeUndefined();
  });

  it('ignores absent, malformed and overly long values', () => {
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('86400', now)).toBeUndefined();
  });
});
