import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
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

  /** Names of the project's configs equal to `name` or `name (n)`: to pick a free suffix. */
  async namesLike(manager: EntityManager, projectId: string, name: string): Promise<string[]> {
    const rows: Array<{ name: string }> = await manager.query(
      `SELECT name FROM configs WHERE project_id = $1 AND (name = $2 OR left(name, length($2) + 2) = $2 || ' (')`, [projectId, name],
    );
    return rows.map((r) => r.name);
  }

  /** Serializes, until the transaction ends, whoever holds the same key (a project's config name). */
  async lockName(manager: EntityManager, projectId: string, name: string): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`config-name:${projectId}:${name}`]);
  }

  findVersionOfExperimentConfig(manager: EntityManager, configId: string, experimentConfigId: string): Promise<ConfigVersionEntity | null> {
    return manager.findOne(ConfigVersionEntity, { where: { configId, experimentConfigId } });
  }

  /** The versions saved from these experiment configs. */
  versionsOfExperimentConfigs(projectId: string, experimentConfigIds: string[]): Promise<ConfigVersionEntity[]> {
    if (!experimentConfigIds.length) return Promise.resolve([]);
    return this.dataSource.manager.find(ConfigVersionEntity, { where: { projectId, experimentConfigId: In(experimentConfigIds) } });
  }

  list(projectId: string, limit: number, offset: number): Promise<[ConfigEntity[], number]> {
    return this.dataSource.manager.findAndCount(ConfigEntity, {
      where: { projectId }, order: { createdAt: 'DESC', id: 'ASC' }, take: limit, skip: offset,
    });
  }
}
