import { Column, Entity, PrimaryColumn } from 'typeorm';

export enum WebhookDeliveryStatus {
  Delivered = 'delivered',
  Failed = 'failed',
}

/** The latest attempt to deliver one event to one subscription; a `delivered` row is final. */
@Entity({ name: 'webhook_deliveries' })
export class WebhookDeliveryEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'subscription_id' }) subscriptionId!: string;
  /** The event's envelope id (its Nats-Msg-Id), also sent as the `webhook-id` header. */
  @Column('text', { name: 'event_id' }) eventId!: string;
  @Column('text') subject!: string;
  @Column({ type: 'enum', enum: WebhookDeliveryStatus, enumName: 'webhook_delivery_status' }) status!: WebhookDeliveryStatus;
  @Column('int', { name: 'response_status', nullable: true }) responseStatus!: number | null;
  @Column('text', { nullable: true }) error!: string | null;
  @Column('timestamptz', { name: 'attempted_at' }) attemptedAt!: Date;
}
