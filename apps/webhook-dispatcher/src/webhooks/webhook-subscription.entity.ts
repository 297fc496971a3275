import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import { WebhookDisabledReason, WebhookSubscriptionStatus } from '@yardstick/contracts';

/** A URL of a project that wants events POSTed to it, signed with its secret. */
@Entity({ name: 'webhook_subscriptions' })
export class WebhookSubscriptionEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'project_id' }) projectId!: string;
  @Column('text') url!: string;
  /** Event names and `<prefix>.*` patterns. */
  @Column('text', { array: true }) events!: string[];
  /** The signing secret, sealed with SecretBox; null for subscriptions older than signing. */
  @Column('text', { name: 'secret_sealed', nullable: true }) secretSealed!: string | null;
  /** After a rotation, the previous secret also signs until `previousSecretExpiresAt`. */
  @Column('text', { name: 'previous_secret_sealed', nullable: true }) previousSecretSealed!: string | null;
  @Column('timestamptz', { name: 'previous_secret_expires_at', nullable: true }) previousSecretExpiresAt!: Date | null;
  @Column({ type: 'enum', enum: WebhookSubscriptionStatus, enumName: 'webhook_subscription_status' }) status!: WebhookSubscriptionStatus;
  @Column('text', { name: 'disabled_reason', nullable: true }) disabledReason!: WebhookDisabledReason | null;
  @Column('timestamptz', { name: 'disabled_at', nullable: true }) disabledAt!: Date | null;
  /** When the current streak of failed attempts began; null after a success. */
  @Column('timestamptz', { name: 'failing_since', nullable: true }) failingSince!: Date | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
}
