import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { ApiKeyEntity } from './api-key.entity';
import { OrganizationEntity } from './organization.entity';
import { ProjectEntity } from './project.entity';

export interface AuthenticatedKey {
  keyId: string;
  projectId: string;
  keyHash: Buffer;
  lastUsedAt: Date | null;
}

@Injectable()
export class TenancyRepository {
  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** The organization and project with these names, created when missing (safe under concurrency). */
  async ensureProject(manager: EntityManager, organizationName: string, projectName: string): Promise<ProjectEntity> {
    await manager.query(`INSERT INTO organizations (id, name) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`, [randomUUID(), organizationName]);
    const [organization] = await manager.query(`SELECT id FROM organizations WHERE name = $1`, [organizationName]);
    await manager.query(
      `INSERT INTO projects (id, organization_id, name) VALUES ($1, $2, $3) ON CONFLICT (organization_id, name) DO NOTHING`,
      [randomUUID(), organization.id, projectName],
    );
    return manager.findOneByOrFail(ProjectEntity, { organizationId: organization.id, name: projectName });
  }

  async insertKey(manager: EntityManager, key: Pick<ApiKeyEntity, 'projectId' | 'name' | 'prefix' | 'keyHash'>): Promise<ApiKeyEntity> {
    const entity = manager.create(ApiKeyEntity, { ...key, id: randomUUID(), lastUsedAt: null, revokedAt: null });
    await manager.insert(ApiKeyEntity, entity);
    return manager.findOneByOrFail(ApiKeyEntity, { id: entity.id });
  }

  /** The unrevoked key with this prefix, with its hash. */
  async findActiveKey(prefix: string): Promise<AuthenticatedKey | null> {
    const [row] = await this.dataSource.query(
      `SELECT id AS "keyId", project_id AS "projectId", key_hash AS "keyHash", last_used_at AS "lastUsedAt"
       FROM api_keys WHERE prefix = $1 AND revoked_at IS NULL`,
      [prefix],
    );
    return row ?? null;
  }

  /** Records use at most once a minute per key, so authentication is not a write per request. */
  async touchKey(keyId: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE api_keys SET last_used_at = now() WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
      [keyId],
    );
  }

  listKeys(projectId: string, limit: number, offset: number): Promise<[ApiKeyEntity[], number]> {
    return this.dataSource.manager.findAndCount(ApiKeyEntity, {
      where: { projectId }, order: { createdAt: 'DESC', id: 'ASC' }, take: limit, skip: offset,
    });
  }

  /** True when a key of the project was revoked now; false when there is no such unrevoked key. */
  async revokeKey(projectId: string, keyId: string): Promise<boolean> {
    const result = await this.dataSource.manager.update(ApiKeyEntity, { id: keyId, projectId, revokedAt: IsNull() }, { revokedAt: () => 'now()' });
    return (result.affected ?? 0) > 0;
  }

  findKey(projectId: string, keyId: string): Promise<ApiKeyEntity | null> {
    return this.dataSource.manager.findOneBy(ApiKeyEntity, { id: keyId, projectId });
  }

  async describeProject(projectId: string): Promise<{ project: ProjectEntity; organization: OrganizationEntity }> {
    const project = await this.dataSource.manager.findOneByOrFail(ProjectEntity, { id: projectId });
    const organization = await this.dataSource.manager.findOneByOrFail(OrganizationEntity, { id: project.organizationId });
    return { project, organization };
  }
}
