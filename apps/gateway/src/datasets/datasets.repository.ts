import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, LessThanOrEqual } from 'typeorm';
import { DatasetEntity } from './dataset.entity';
import { DatasetItemEntity } from './dataset-item.entity';

export type NewDatasetItem = Pick<DatasetItemEntity, 'id' | 'rowNumber' | 'question' | 'answer' | 'category'>;

@Injectable()
export class DatasetsRepository {
  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  async insertDataset(manager: EntityManager, dataset: Omit<DatasetEntity, 'createdAt'>): Promise<void> {
    await manager.insert(DatasetEntity, dataset);
  }

  /** Sets the counts once every item is stored, and returns the dataset as stored. */
  async complete(manager: EntityManager, id: string, originalItemsCount: number, totalItemsCount: number): Promise<DatasetEntity> {
    await manager.update(DatasetEntity, { id }, { originalItemsCount, totalItemsCount });
    return manager.findOneByOrFail(DatasetEntity, { id });
  }

  /** One statement per batch: the rows travel as five arrays unnested server-side (no per-row placeholders). */
  async insertItems(manager: EntityManager, datasetId: string, projectId: string, items: NewDatasetItem[]): Promise<void> {
    await manager.query(
      `INSERT INTO dataset_items (id, dataset_id, project_id, row_number, question, answer, category)
       SELECT id, $1, $2, row_number, question, answer, category
       FROM unnest($3::uuid[], $4::int[], $5::text[], $6::text[], $7::text[]) AS t (id, row_number, question, answer, category)`,
      [datasetId, projectId, items.map((i) => i.id), items.map((i) => i.rowNumber), items.map((i) => i.question),
        items.map((i) => i.answer), items.map((i) => i.category)],
    );
  }

  find(projectId: string, id: string): Promise<DatasetEntity | null> {
    return this.dataSource.manager.findOne(DatasetEntity, { where: { id, projectId } });
  }

  /** `maxItems` filters in the query, before pagination, so pages and totals count eligible datasets only. */
  list(projectId: string, limit: number, offset: number, maxItems?: number): Promise<[DatasetEntity[], number]> {
    return this.dataSource.manager.findAndCount(DatasetEntity, {
      where: { projectId, ...(maxItems !== undefined ? { totalItemsCount: LessThanOrEqual(maxItems) } : {}) },
      order: { createdAt: 'DESC', id: 'ASC' },
      take: limit,
      skip: offset,
    });
  }
}
