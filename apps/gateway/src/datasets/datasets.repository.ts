import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, LessThanOrEqual } from 'typeorm';
import { DatasetEntity } from './dataset.entity';
import { DatasetItemEntity } from './dataset-item.entity';

@Injectable()
export class DatasetsRepository {
  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  insertItems(manager: EntityManager, items: DatasetItemEntity[]): Promise<unknown> {
    return manager.insert(DatasetItemEntity, items);
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
