import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import { Stage } from '@yardstick/contracts';

/** The one recorded result of a provider call for an item's stage: a redelivered command republishes it instead of calling again. */
@Entity({ name: 'provider_results' })
export class ProviderResultEntity {
  @PrimaryColumn('uuid', { name: 'item_id' }) itemId!: string;
  @PrimaryColumn({ type: 'enum', enum: Stage, enumName: 'stage' }) stage!: Stage;
  /** The prompt-pipeline step (responses); 0 for single-stage configs and other stages. */
  @PrimaryColumn('int') step!: number;
  @Column('uuid', { name: 'run_id' }) runId!: string;
  @Column('uuid', { name: 'project_id' }) projectId!: string;
  @Column('text') model!: string;
  @Column('jsonb') result!: object;
  @Column('numeric', { name: 'cost_usd', precision: 20, scale: 10 }) costUsd!: string;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
}
