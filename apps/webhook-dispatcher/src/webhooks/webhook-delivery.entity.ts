import { Column, Entity, PrimaryColumn } from 'typeorm';
import { WebhookDeliveryStatus } from '@yardstick/contracts';

/**
 * One event to one subscription, from its recording to `delivered` or `failed`. While `pending`, a replica
 * claims it when `next_attempt_at` is due by taking a lease (`lease_token`, `lease_until`); an expired lease
 * (a crashed replica) is claimed again.
 */
@Entity({ name: 'webhook_deliveries' })
export class WebhookDeliveryEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'subscription_id' }) subscriptionId!: string;
  /** The event's envelope id (its Nats-Msg-Id), also sent as the `webhook-id` header of every attempt. */
  @Column('text', { name: 'event_id' }) eventId!: string;
  @Column('text') subject!: string;
  /** The exact bytes POSTed on every attempt; null for deliveries recorded before the schedule existed. */
  @Column('text', { nullable: true }) body!: string | null;
  @Column({ type: 'enum', enum: WebhookDeliveryStatus, enumName: 'webhook_delivery_state' }) status!: WebhookDeliveryStatus;
  @Column('int', { name: 'attempt_count' }) attemptCount!: number;
  /** The retry schedule counts from here: the event, or the latest manual redelivery. */
  @Column('timestamptz', { name: 'round_started_at' }) roundStartedAt!: Date;
  @Column('int', { name: 'round_attempts' }) roundAttempts!: number;
  @Column('timestamptz', { name: 'next_attempt_at', nullable: true }) nextAttemptAt!: Date | null;
  @Column('uuid', { name: 'lease_token', nullable: true }) leaseToken!: string | null;
  @Column('timestamptz', { name: 'lease_until', nullable: true }) leaseUntil!: Date | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
  @Column('timestamptz', { name: 'delivered_at', nullable: true }) deliveredAt!: Date | null;
}
