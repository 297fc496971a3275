import { Column, Entity, PrimaryColumn } from 'typeorm';
import { ItemStageState, Stage } from '@yardstick/contracts';

/** One item in one stage: the unit of work the state machine moves (see docs/state-machine.md). */
@Entity({ name: 'item_stages' })
export class ItemStageEntity {
  @PrimaryColumn('uuid', { name: 'item_id' }) itemId!: string;
  @PrimaryColumn({ type: 'enum', enum: Stage, enumName: 'stage' }) stage!: Stage;
  @Column('uuid', { name: 'run_id' }) runId!: string;
  @Column('uuid', { name: 'project_id' }) projectId!: string;
  @Column({ type: 'enum', enum: ItemStageState, enumName: 'item_stage_state' }) state!: ItemStageState;
  @Column('int') attempt!: number;
  /** `attempt` when a user last retried the item: MAX_ATTEMPTS counts attempts after it. */
  @Column('int', { name: 'retry_base' }) retryBase!: number;
  @Column('timestamptz', { name: 'lease_until', nullable: true }) leaseUntil!: Date | null;
  @Column('timestamptz', { name: 'next_attempt_at', nullable: true }) nextAttemptAt!: Date | null;
  @Column('int', { name: 'input_tokens', nullable: true }) inputTokens!: number | null;
  @Column('int', { name: 'output_tokens', nullable: true }) outputTokens!: number | null;
  @Column('int', { name: 'total_tokens', nullable: true }) totalTokens!: number | null;
  @Column('int', { name: 'latency_ms', nullable: true }) latencyMs!: number | null;
  @Column('numeric', { name: 'cost_usd', precision: 20, scale: 10 }) costUsd!: string;
  @Column('boolean', { name: 'cache_hit' }) cacheHit!: boolean;
  @Column('int', { name: 'saved_tokens' }) savedTokens!: number;
  @Column('numeric', { name: 'saved_cost_usd', precision: 20, scale: 10 }) savedCostUsd!: string;
  @Column('text', { name: 'error_code', nullable: true }) errorCode!: string | null;
  @Column('text', { name: 'error_message', nullable: true }) errorMessage!: string | null;
  /** Responses only: the prompt-pipeline step under way (or the last one, once succeeded). */
  @Column('int') step!: number;
  /** Responses only: one entry per finished pipeline step (see PipelineStepRecord). */
  @Column('jsonb', { name: 'step_outputs' }) stepOutputs!: object[];
}
