import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** An event written in the same transaction as the change it announces; relayed to JetStream with Nats-Msg-Id = id. */
@Entity({ name: 'outbox' })
export class OutboxMessageEntity {
  @PrimaryColumn('text') id!: string;
  @Column('text') subject!: string;
  @Column('text', { name: 'correlation_id' }) correlationId!: string;
  @Column('jsonb') payload!: object;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
  @Column('timestamptz', { name: 'published_at', nullable: true }) publishedAt!: Date | null;
}
