import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import { ModelParams } from '@yardstick/contracts';

/** An immutable version of a model config: what a run evaluates. */
@Entity({ name: 'config_versions' })
export class ConfigVersionEntity {
  @PrimaryColumn('uuid', { name: 'config_id' }) configId!: string;
  @PrimaryColumn('int') version!: number;
  @Column('uuid', { name: 'project_id' }) projectId!: string;
  @Column('text') model!: string;
  @Column('text', { nullable: true }) instructions!: string | null;
  @Column('text', { name: 'prompt_template' }) promptTemplate!: string;
  @Column('jsonb') params!: ModelParams;
  @Column('text', { name: 'embedding_model' }) embeddingModel!: string;
  /** The project's provider endpoint (owned by llm-caller); null = the deployment's default endpoint. */
  @Column('uuid', { name: 'provider_endpoint_id', nullable: true }) providerEndpointId!: string | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
}
