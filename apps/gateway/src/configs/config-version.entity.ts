import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import { ModelParams, PipelineStep } from '@yardstick/contracts';

/** An immutable version of a model config: what a run evaluates. */
@Entity({ name: 'config_versions' })
export class ConfigVersionEntity {
  @PrimaryColumn('uuid', { name: 'config_id' }) configId!: string;
  @PrimaryColumn('int') version!: number;
  @Column('uuid', { name: 'project_id' }) projectId!: string;
  @Column('text') model!: string;
  @Column('text', { nullable: true }) instructions!: string | null;
  /** The single stage's template; null for a pipeline version. */
  @Column('text', { name: 'prompt_template', nullable: true }) promptTemplate!: string | null;
  /** Ordered prompt-pipeline stages (each stage's model resolved); null for a single-stage version. */
  @Column('jsonb', { nullable: true }) pipeline!: PipelineStep[] | null;
  @Column('jsonb') params!: ModelParams;
  @Column('text', { name: 'embedding_model' }) embeddingModel!: string;
  /** The project's provider endpoint (owned by llm-caller); null = the deployment's default endpoint. */
  @Column('uuid', { name: 'provider_endpoint_id', nullable: true }) providerEndpointId!: string | null;
  /** The experiment config this version was saved from (eval.experiment.config_started); null for versions users made. */
  @Column('uuid', { name: 'experiment_config_id', nullable: true }) experimentConfigId!: string | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
}
