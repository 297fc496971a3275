import { Injectable } from '@nestjs/common';
import { ApiException } from '../api/api.exception';
import { ApiKeyEntity } from './api-key.entity';
import { apiKeyMatches, apiKeyPrefix, issueApiKey } from './api-key.secret';
import { TenancyRepository } from './tenancy.repository';

export interface CreatedApiKey {
  entity: ApiKeyEntity;
  /** The only time the full key exists outside the client. */
  key: string;
}

export interface RequestPrincipal {
  keyId: string;
  projectId: string;
}

@Injectable()
export class TenancyService {
  constructor(private readonly repository: TenancyRepository) {}

  /** Admin bootstrap: the organization and project (created when missing) and a new key for the project. */
  async createKeyForProject(organizationName: string, projectName: string, keyName: string): Promise<CreatedApiKey & { organizationId: string }> {
    return this.repository.transaction(async (manager) => {
      const project = await this.repository.ensureProject(manager, organizationName, projectName);
      const issued = issueApiKey();
      const entity = await this.repository.insertKey(manager, { projectId: project.id, name: keyName, prefix: issued.prefix, keyHash: issued.hash });
      return { entity, key: issued.key, organizationId: project.organizationId };
    });
  }

  async createKey(projectId: string, name: string): Promise<CreatedApiKey> {
    const issued = issueApiKey();
    const entity = await this.repository.transaction((manager) =>
      this.repository.insertKey(manager, { projectId, name, prefix: issued.prefix, keyHash: issued.hash }));
    return { entity, key: issued.key };
  }

  /** The project a bearer key acts in, or null for a missing, malformed, unknown or revoked key. */
  async authenticate(key: string): Promise<RequestPrincipal | null> {
    const prefix = apiKeyPrefix(key);
    if (!prefix) return null;
    const found = await this.repository.findActiveKey(prefix);
    if (!found || !apiKeyMatches(key, found.keyHash)) return null;
    if (!found.lastUsedAt || Date.now() - found.lastUsedAt.getTime() > 60_000) await this.repository.touchKey(found.keyId);
    return { keyId: found.keyId, projectId: found.projectId };
  }

  listKeys(projectId: string, limit: number, offset: number) {
    return this.repository.listKeys(projectId, limit, offset);
  }

  async revokeKey(projectId: string, keyId: string): Promise<ApiKeyEntity> {
    if (!(await this.repository.revokeKey(projectId, keyId))) {
      const existing = await this.repository.findKey(projectId, keyId);
      if (!existing) throw ApiException.notFound('api key', keyId);
      return existing;
    }
    return (await this.repository.findKey(projectId, keyId))!;
  }

  describeProject(projectId: string) {
    return this.repository.describeProject(projectId);
  }
}
