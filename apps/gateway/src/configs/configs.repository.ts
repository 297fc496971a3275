import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ConfigEntity } from './config.entity';
import { ConfigVersionEntity } from './config-version.entity';

@Injectable()
export class ConfigsRepository {
  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  findConfig(projectId: string, id: string, manager: EntityManager = this.dataSource.manager, lock = false): Promise<ConfigEntity | null> {
    return manager.findOne(ConfigEntity, { where: { id, projectId }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
  }

  findVersion(projectId: string, configId: string, version: number): Promise<ConfigVersionEntity | null> {
    return this.dataSource.manager.findOne(ConfigVersionEntity, { where: { configId, version, projectId } });
  }

  listVersions(projectId: string, configId: string): Promise<ConfigVersionEntity[]> {
    return this.dataSource.manager.find(ConfigVersionEntity, { where: { configId, projectId }, order: { version: 'ASC' } });
  }

  list(projectId: string, limit: number, offset: number): Promise<[ConfigEntity[], number]> {
    return this.dataSource.manager.findAndCount(ConfigEntity, {
      where: { projectId }, order: { createdAt: 'DESC', id: 'ASC' }, take: limit, skip: offset,
    });
  }
}
