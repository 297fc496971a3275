import { WebhookDeliveryStatus, WebhookDisabledReason } from '@yardstick/contracts';
import { RetrySchedule } from './retry-schedule';
import { AttemptResolution, ClaimedDelivery } from './webhook-deliveries.repository';
import { AttemptReport } from './webhook-sender';

export interface ResolutionPolicy {
  schedule: RetrySchedule;
  /** A subscription failing continuously for this long is disabled. */
  disableAfterMs: number;
}

/**
 * What an attempt leads to: 2xx delivered; 410 fails the delivery and disables the subscription; any other
 * failure is retried on the schedule (never before Retry-After) until it is used up, unless the subscription
 * has now been failing for longer than the policy tolerates, which disables it.
 */
export function resolveAttempt(claim: ClaimedDelivery, report: AttemptReport, policy: ResolutionPolicy, now = new Date()): AttemptResolution {
  const { outcome } = report;
  const attempt = {
    attempt: claim.attemptCount,
    startedAt: report.startedAt,
    latencyMs: report.latencyMs,
    responseStatus: outcome.responseStatus,
    error: outcome.kind === 'delivered' ? null : outcome.error.slice(0, 2000),
    delivered: outcome.kind === 'delivered',
  };
  if (outcome.kind === 'delivered') return { attempt, status: WebhookDeliveryStatus.Delivered, nextAttemptAt: null };
  if (outcome.kind === 'gone') {
    return { attempt, status: WebhookDeliveryStatus.Failed, nextAttemptAt: null, disable: WebhookDisabledReason.EndpointGone };
  }
  const failingSince = claim.failingSince ?? report.startedAt;
  if (now.getTime() - failingSince.getTime() >= policy.disableAfterMs) {
    return { attempt, status: WebhookDeliveryStatus.Failed, nextAttemptAt: null, disable: WebhookDisabledReason.FailingTooLong };
  }
  const next = policy.schedule.nextAttemptAt(claim.roundStartedAt, claim.roundAttempts, now, outcome.retryAfterMs);
  return next
    ? { attempt, status: WebhookDeliveryStatus.Pending, nextAttemptAt: next }
    : { attempt, status: WebhookDeliveryStatus.Failed, nextAttemptAt: null };
}
