import 'reflect-metadata';
import { WebhookDeliveryStatus, WebhookDisabledReason } from '@yardstick/contracts';
import { resolveAttempt } from './attempt-resolution';
import { RetrySchedule } from './retry-schedule';
import { ClaimedDelivery } from './webhook-deliveries.repository';
import { AttemptReport } from './webhook-sender';

describe(resolveAttempt.name, () => {
  const start = new Date('2024-11-30T10:00:00Z');
  const at = (ms: number) => new Date(start.getTime() + ms);
  const policy = { schedule: new RetrySchedule([0, 1_000, 10_000], 0), disableAfterMs: 60_000 };
  const claim = (overrides: Partial<ClaimedDelivery> = {}): ClaimedDelivery => ({
    id: 'd', leaseToken: 't', subscriptionId: 's', eventId: 'e', body: '{}', attemptCount: 1, roundStartedAt: start, roundAttempts: 1,
    url: 'http://x', secretSealed: null, previousSecretSealed: null, failingSince: null, ...overrides,
  });
  const report = (outcome: AttemptReport['outcome'], startedAt = start): AttemptReport => ({ startedAt, latencyMs: 12, outcome });

  it('marks a 2xx delivered and logs it', () => {
    expect(resolveAttempt(claim(), report({ kind: 'delivered', responseStatus: 204 }), policy, at(12))).toEqual({
      attempt: { attempt: 1, startedAt: start, latencyMs: 12, responseStatus: 204, error: null, delivered: true },
      status: WebhookDeliveryStatus.Delivered, nextAttemptAt: null,
    });
  });

  it('retries a failure at the next offset of the schedule, or later when Retry-After asks', () => {
    const failed = { kind: 'failed' as const, responseStatus: 503, error: 'receiver answered HTTP 503' };
    expect(resolveAttempt(claim(), report(failed), policy, at(12))).toMatchObject({ status: WebhookDeliveryStatus.Pending, nextAttemptAt: at(1_000) });
    expect(resolveAttempt(claim(), report({ ...failed, retryAfterMs: 5_000 }), policy, at(12)))
      .toMatchObject({ status: WebhookDeliveryStatus.Pending, nextAttemptAt: at(5_012) });
  });

  it('fails the delivery when the schedule is used up', () => {
    const failed = { kind: 'failed' as const, responseStatus: null, error: 'ECONNREFUSED' };
    expect(resolveAttempt(claim({ roundAttempts: 3, attemptCount: 3 }), report(failed, at(10_000)), policy, at(10_001)))
      .toMatchObject({ status: WebhookDeliveryStatus.Failed, nextAttemptAt: null, attempt: { attempt: 3, error: 'ECONNREFUSED' } });
  });

  it('disables the subscription on 410 at once', () => {
    expect(resolveAttempt(claim(), report({ kind: 'gone', responseStatus: 410, error: 'gone' }), policy, at(5)))
      .toMatchObject({ status: WebhookDeliveryStatus.Failed, disable: WebhookDisabledReason.EndpointGone });
  });

  it('disables a subscription that has been failing for longer than allowed', () => {
    const failed = { kind: 'failed' as const, responseStatus: 500, error: 'receiver answered HTTP 500' };
    expect(resolveAttempt(claim({ failingSince: at(-59_000) }), report(failed), policy, at(10))).not.toHaveProperty('disable');
    expect(resolveAttempt(claim({ failingSince: at(-60_000) }), report(failed), policy, at(10)))
      .toMatchObject({ status: WebhookDeliveryStatus.Failed, disable: WebhookDisabledReason.FailingTooLong });
  });
});
