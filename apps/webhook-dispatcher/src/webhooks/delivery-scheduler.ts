import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { WebhookDispatcherEnv } from '../config/webhook-dispatcher.env';
import { DeliveryAttemptService } from './delivery-attempt.service';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository';

/**
 * Each replica's loop over the shared schedule in Postgres: keeps up to WEBHOOK_CLAIM_BATCH attempts in flight,
 * claiming due deliveries under a lease whenever a slot is free, and otherwise naps until the poll interval
 * passes, an event is recorded here, or an attempt finishes.
 */
@Injectable()
export class DeliveryScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(DeliveryScheduler.name);
  private readonly inFlight = new Set<Promise<void>>();
  private running = false;
  private loop?: Promise<void>;
  private woken = false;
  private endNap?: () => void;

  constructor(
    private readonly deliveries: WebhookDeliveriesRepository,
    private readonly attempts: DeliveryAttemptService,
    private readonly env: WebhookDispatcherEnv,
  ) {}

  onApplicationBootstrap(): void {
    this.running = true;
    this.loop = this.run();
  }

  /** Stops claiming and lets in-flight attempts finish and record, before the database closes (onApplicationShutdown). */
  async onModuleDestroy(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
  }

  /** Looks for due deliveries now rather than at the next poll. */
  wake(): void {
    this.woken = true;
    this.endNap?.();
  }

  private async run(): Promise<void> {
    // A lease outlives one attempt by a margin; after that another replica may take the delivery over.
    const leaseMs = this.env.WEBHOOK_TIMEOUT_MS + 30_000;
    while (this.running) {
      const free = this.env.WEBHOOK_CLAIM_BATCH - this.inFlight.size;
      let claimed = 0;
      if (free > 0) {
        try {
          const claims = await this.deliveries.claimDue(free, leaseMs);
          claimed = claims.length;
          for (const claim of claims) this.track(claim.id, this.attempts.attempt(claim));
        } catch (error) {
          this.logger.error(`claiming due deliveries failed: ${(error as Error).message}`);
        }
      }
      if (!(free > 0 && claimed === free)) await this.nap();
    }
    await Promise.allSettled(this.inFlight);
  }

  private track(deliveryId: string, attempt: Promise<void>): void {
    const tracked = attempt
      .catch((error) => this.logger.error(`delivery ${deliveryId}: ${(error as Error).stack ?? error}`))
      .finally(() => {
        this.inFlight.delete(tracked);
        this.endNap?.();
      });
    this.inFlight.add(tracked);
  }

  private nap(): Promise<void> {
    if (this.woken || !this.running) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.endNap?.(), this.env.WEBHOOK_POLL_INTERVAL_MS);
      this.endNap = () => {
        clearTimeout(timer);
        this.endNap = undefined;
        this.woken = false;
        resolve();
      };
    });
  }
}
