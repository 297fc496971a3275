import { Inject, Injectable, Logger } from '@nestjs/common';
import { SecretBox } from '@yardstick/secrets';
import { resolveAttempt, ResolutionPolicy } from './attempt-resolution';
import { AttemptReport, WebhookSender } from './webhook-sender';
import { ClaimedDelivery, WebhookDeliveriesRepository } from './webhook-deliveries.repository';

/** The policy deciding what follows an attempt, built from the environment. */
export const RESOLUTION_POLICY = Symbol('ResolutionPolicy');

/** Makes one attempt of a claimed delivery: opens its secrets, sends it signed, logs and settles the outcome. */
@Injectable()
export class DeliveryAttemptService {
  private readonly logger = new Logger(DeliveryAttemptService.name);

  constructor(
    private readonly deliveries: WebhookDeliveriesRepository,
    private readonly sender: WebhookSender,
    @Inject(SecretBox) private readonly secrets: SecretBox,
    @Inject(RESOLUTION_POLICY) private readonly policy: ResolutionPolicy,
  ) {}

  async attempt(claim: ClaimedDelivery): Promise<void> {
    const report = await this.send(claim);
    const resolution = resolveAttempt(claim, report, this.policy);
    await this.deliveries.resolve(claim, resolution);
    if (!resolution.attempt.delivered) {
      const next = resolution.nextAttemptAt ? `next attempt at ${resolution.nextAttemptAt.toISOString()}` : 'no further attempt';
      this.logger.warn(`delivery ${claim.id} (event ${claim.eventId}) attempt ${claim.attemptCount}: ${resolution.attempt.error}; ${next}`
        + (resolution.disable ? `; subscription ${claim.subscriptionId} disabled (${resolution.disable})` : ''));
    }
  }

  private async send(claim: ClaimedDelivery): Promise<AttemptReport> {
    let secrets: string[];
    try {
      secrets = [claim.secretSealed, claim.previousSecretSealed].filter((s): s is string => s !== null).map((s) => this.secrets.open(s));
    } catch (error) {
      // SECRET_KEYS lost the key that sealed it: an operator's fix; retried on the schedule meanwhile, never sent unsigned.
      this.logger.error(`delivery ${claim.id}: ${(error as Error).message}`);
      return { startedAt: new Date(), latencyMs: 0, outcome: { kind: 'failed', responseStatus: null, error: 'the signing secret cannot be opened' } };
    }
    return this.sender.send({ url: claim.url, webhookId: claim.eventId, body: claim.body, secrets });
  }
}
