import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One POST of a delivery, as logged: the delivery log of the API. */
@Entity({ name: 'webhook_attempts' })
export class WebhookAttemptEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'delivery_id' }) deliveryId!: string;
  /** 1 for the first attempt of the delivery, counting across manual redeliveries. */
  @Column('int') attempt!: number;
  @Column('timestamptz', { name: 'started_at' }) startedAt!: Date;
  @Column('int', { name: 'latency_ms' }) latencyMs!: number;
  @Column('int', { name: 'response_status', nullable: true }) responseStatus!: number | null;
  @Column('text', { nullable: true }) error!: string | null;
  @Column('boolean') delivered!: boolean;
}
