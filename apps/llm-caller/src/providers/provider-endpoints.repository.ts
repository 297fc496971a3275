import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { CreateProviderRequest, ProviderEndpointFields, ServiceErrorCode, ServiceException } from '@yardstick/contracts';
import { isUniqueViolation } from '@yardstick/persistence';
import { ProviderEndpointEntity } from './provider-endpoint.entity';

const NAME_CONSTRAINT = 'uq_provider_endpoints_project_name';

@Injectable()
export class ProviderEndpointsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async create(request: CreateProviderRequest): Promise<ProviderEndpointEntity> {
    const id = randomUUID();
    try {
      await this.dataSource.manager.insert(ProviderEndpointEntity, {
        id, projectId: request.projectId, name: request.name, kind: request.kind, baseUrl: request.baseUrl,
        apiKeySealed: request.apiKeySealed ?? null, apiKeyLast4: request.apiKeyLast4 ?? null, azureApiVersion: request.azureApiVersion ?? null,
        defaultHeaders: request.defaultHeaders ?? {}, supportsBatch: request.supportsBatch ?? false, rateLimits: request.rateLimits ?? {},
        priceOverrides: request.priceOverrides ?? {},
      });
    } catch (error) {
      throw this.conflictOr(error, request.name);
    }
    return this.get(request.projectId, id);
  }

  async update(projectId: string, id: string, fields: ProviderEndpointFields): Promise<ProviderEndpointEntity> {
    const current = await this.get(projectId, id);
    const changes: Partial<ProviderEndpointEntity> = {};
    if (fields.name !== undefined) changes.name = fields.name;
    if (fields.kind !== undefined) changes.kind = fields.kind;
    if (fields.baseUrl !== undefined) changes.baseUrl = fields.baseUrl;
    if (fields.apiKeySealed !== undefined) {
      changes.apiKeySealed = fields.apiKeySealed;
      changes.apiKeyLast4 = fields.apiKeyLast4 ?? null;
    }
    if (fields.azureApiVersion !== undefined) changes.azureApiVersion = fields.azureApiVersion;
    if (fields.defaultHeaders !== undefined) changes.defaultHeaders = fields.defaultHeaders;
    if (fields.supportsBatch !== undefined) changes.supportsBatch = fields.supportsBatch;
    if (fields.rateLimits !== undefined) changes.rateLimits = { ...current.rateLimits, ...stripUndefined(fields.rateLimits) };
    if (fields.priceOverrides !== undefined) changes.priceOverrides = { ...current.priceOverrides, ...fields.priceOverrides };
    try {
      if (Object.keys(changes).length) await this.dataSource.manager.update(ProviderEndpointEntity, { id, projectId }, changes);
    } catch (error) {
      throw this.conflictOr(error, fields.name ?? current.name);
    }
    return this.get(projectId, id);
  }

  async get(projectId: string, id: string): Promise<ProviderEndpointEntity> {
    const endpoint = await this.find(projectId, id);
    if (!endpoint) throw new ServiceException(ServiceErrorCode.NotFound, `provider endpoint ${id} not found`);
    return endpoint;
  }

  find(projectId: string, id: string): Promise<ProviderEndpointEntity | null> {
    return this.dataSource.manager.findOne(ProviderEndpointEntity, { where: { id, projectId } });
  }

  list(projectId: string, limit: number, offset: number): Promise<[ProviderEndpointEntity[], number]> {
    return this.dataSource.manager.findAndCount(ProviderEndpointEntity, {
      where: { projectId }, order: { createdAt: 'DESC', id: 'ASC' }, take: limit, skip: offset,
    });
  }

  async delete(projectId: string, id: string): Promise<boolean> {
    const result = await this.dataSource.manager.delete(ProviderEndpointEntity, { id, projectId });
    if (!result.affected) throw new ServiceException(ServiceErrorCode.NotFound, `provider endpoint ${id} not found`);
    return true;
  }

  /** Every sealed key, for a rotation to re-seal. */
  sealedKeys(): Promise<Array<{ id: string; apiKeySealed: string }>> {
    return this.dataSource.query(`SELECT id, api_key_sealed AS "apiKeySealed" FROM provider_endpoints WHERE api_key_sealed IS NOT NULL`);
  }

  async replaceSealedKey(id: string, from: string, to: string): Promise<boolean> {
    const [, affected] = await this.dataSource.query(
      `UPDATE provider_endpoints SET api_key_sealed = $3 WHERE id = $1 AND api_key_sealed = $2`, [id, from, to],
    );
    return affected === 1;
  }

  private conflictOr(error: unknown, name: string): unknown {
    return isUniqueViolation(error, NAME_CONSTRAINT)
      ? new ServiceException(ServiceErrorCode.Conflict, `a provider endpoint named "${name}" already exists in this project`, { name })
      : error;
  }
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
