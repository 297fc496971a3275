import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { CacheMode, RunMode, RunStatus, RunConfigSnapshot, ScorerSpec } from '@yardstick/contracts';

@Entity({ name: 'evaluation_runs' })
export class EvaluationRunEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'project_id' }) projectId!: string;
  @Column('text', { name: 'run_name' }) runName!: string;
  @Column({ type: 'enum', enum: RunMode, enumName: 'run_mode', name: 'run_mode' }) runMode!: RunMode;
  @Column({ type: 'enum', enum: RunStatus, enumName: 'run_status' }) status!: RunStatus;
  @Column('uuid', { name: 'dataset_id' }) datasetId!: string;
  @Column('uuid', { name: 'config_id' }) configId!: string;
  @Column('int', { name: 'config_version' }) configVersion!: number;
  @Column('jsonb') config!: RunConfigSnapshot;
  @Column('jsonb') scorers!: ScorerSpec[];
  @Column('int', { name: 'items_total' }) itemsTotal!: number;
  @Column('int', { name: 'items_succeeded' }) itemsSucceeded!: number;
  @Column('int', { name: 'items_failed' }) itemsFailed!: number;
  @Column('double precision', { name: 'failure_threshold' }) failureThreshold!: number;
  @Column('double precision', { name: 'score_mean', nullable: true }) scoreMean!: number | null;
  @Column('double precision', { name: 'score_std', nullable: true }) scoreStd!: number | null;
  @Column('int', { name: 'score_count' }) scoreCount!: number;
  @Column('text', { nullable: true }) error!: string | null;
  @Column('text', { name: 'paused_reason', nullable: true }) pausedReason!: string | null;
  /** 1, then one more for every retry: part of the finished event's id, so each attempt announces its own end. */
  @Column('int') attempt!: number;
  @Column({ type: 'enum', enum: CacheMode, enumName: 'cache_mode', name: 'cache_mode' }) cacheMode!: CacheMode;
  @Column('jsonb') warnings!: string[];
  /** How a batch run executes: 'batch', or 'fast_fallback' when its endpoint has no Batch API; null until decided (and for fast runs). */
  @Column('text', { nullable: true }) execution!: 'batch' | 'fast_fallback' | null;
  @Column('timestamptz', { name: 'results_exported_at', nullable: true }) resultsExportedAt!: Date | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
  @Column('timestamptz', { name: 'started_at', nullable: true }) startedAt!: Date | null;
  @Column('timestamptz', { name: 'completed_at', nullable: true }) completedAt!: Date | null;
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' }) updatedAt!: Date;
}
