import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'datasets' })
export class DatasetEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'project_id' }) projectId!: string;
  @Column('text') name!: string;
  @Column('int', { name: 'original_items_count' }) originalItemsCount!: number;
  @Column('int', { name: 'duplication_factor' }) duplicationFactor!: number;
  @Column('int', { name: 'total_items_count' }) totalItemsCount!: number;
  /** Blob key of the file as uploaded. */
  @Column('text', { name: 'original_file_key' }) originalFileKey!: string;
  /** Blob key of the normalized items, one JSON line per item and replicate (read by the orchestrator). */
  @Column('text', { name: 'items_blob_key' }) itemsBlobKey!: string;
  @Column('text', { name: 'original_filename', nullable: true }) originalFilename!: string | null;
  @Column('bigint', { name: 'size_bytes' }) sizeBytes!: string;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
}
