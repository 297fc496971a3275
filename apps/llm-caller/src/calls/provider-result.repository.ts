import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Stage } from '@yardstick/contracts';
import { ProviderResultEntity } from './provider-result.entity';

@Injectable()
export class ProviderResultRepository {
  constructor(private readonly dataSource: DataSource) {}

  async find<T>(itemId: string, stage: Stage): Promise<T | null> {
    const row = await this.dataSource.manager.findOne(ProviderResultEntity, { where: { itemId, stage } });
    return (row?.result as T | undefined) ?? null;
  }

  /** Records the result unless one exists; returns the result that is on record either way. */
  async recordOnce<T extends object>(row: Omit<ProviderResultEntity, 'createdAt' | 'result'> & { result: T }): Promise<T> {
    const inserted = await this.dataSource.createQueryBuilder().insert().into(ProviderResultEntity)
      .values(row).orIgnore().returning(['item_id']).execute();
    if (inserted.raw.length) return row.result;
    return (await this.find<T>(row.itemId, row.stage)) ?? row.result;
  }
}
