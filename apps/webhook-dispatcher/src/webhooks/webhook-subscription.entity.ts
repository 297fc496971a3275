import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import { WebhookEvent } from '@yardstick/contracts';

/** A URL of a project that wants run events POSTed to it. */
@Entity({ name: 'webhook_subscriptions' })
export class WebhookSubscriptionEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'project_id' }) projectId!: string;
  @Column('text') url!: string;
  @Column('text', { array: true }) events!: WebhookEvent[];
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
}
