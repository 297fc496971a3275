import { Column, Entity, PrimaryColumn } from 'typeorm';
import { ItemState, Stage } from '@yardstick/contracts';

/** One item of one run: a snapshot of the dataset row, its output and its scores. */
@Entity({ name: 'run_items' })
export class RunItemEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'run_id' }) runId!: string;
  @Column('uuid', { name: 'project_id' }) projectId!: string;
  @Column('int', { name: 'item_index' }) itemIndex!: number;
  @Column('uuid', { name: 'dataset_item_id' }) datasetItemId!: string;
  @Column('int') replicate!: number;
  @Column('text', { nullable: true }) category!: string | null;
  @Column('text') question!: string;
  @Column('text', { name: 'ground_truth' }) groundTruth!: string;
  @Column({ type: 'enum', enum: ItemState, enumName: 'item_state' }) state!: ItemState;
  @Column('text', { nullable: true }) output!: string | null;
  @Column('real', { array: true, name: 'output_embedding', nullable: true }) outputEmbedding!: number[] | null;
  @Column('double precision', { nullable: true }) score!: number | null;
  @Column('jsonb') scores!: Record<string, number>;
  /** Scorers that ran but had no score for the item (an unreadable llm_judge answer): `{ <scorer>: { code, message } }`. */
  @Column('jsonb', { name: 'scorer_errors' }) scorerErrors!: Record<string, { code: string; message: string }>;
  /** The scorers' pass/fail verdicts, for scorers that give one: `{ <scorer>: boolean }`. */
  @Column('jsonb') verdicts!: Record<string, boolean>;
  @Column({ type: 'enum', enum: Stage, enumName: 'stage', name: 'error_stage', nullable: true }) errorStage!: Stage | null;
  @Column('text', { name: 'error_code', nullable: true }) errorCode!: string | null;
  @Column('text', { name: 'error_message', nullable: true }) errorMessage!: string | null;
}
