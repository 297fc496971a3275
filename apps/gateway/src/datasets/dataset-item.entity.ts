import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One row of an uploaded dataset, as written in the file. */
@Entity({ name: 'dataset_items' })
export class DatasetItemEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'dataset_id' }) datasetId!: string;
  @Column('uuid', { name: 'project_id' }) projectId!: string;
  @Column('int', { name: 'row_number' }) rowNumber!: number;
  @Column('text') question!: string;
  @Column('text') answer!: string;
  @Column('text', { nullable: true }) category!: string | null;
}
