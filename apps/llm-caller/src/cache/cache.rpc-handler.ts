import { Injectable } from '@nestjs/common';
import { OnRequest } from '@yardstick/bus';
import { CacheStatsRequest, CacheStatsView, ClearCacheRequest, RpcSubjects, ServiceErrorCode, ServiceException } from '@yardstick/contracts';
import { ProviderEndpointsRepository } from '../providers/provider-endpoints.repository';
import { CacheUnavailableError, ResponseCache } from './response-cache';

@Injectable()
export class CacheRpcHandler {
  constructor(
    private readonly cache: ResponseCache,
    private readonly endpoints: ProviderEndpointsRepository,
  ) {}

  @OnRequest(RpcSubjects.CacheStats)
  stats(_request: CacheStatsRequest): Promise<CacheStatsView> {
    return this.unavailableAs503(() => this.cache.stats());
  }

  @OnRequest(RpcSubjects.ClearCache)
  async clear(request: ClearCacheRequest): Promise<{ deleted: number }> {
    if (!(await this.endpoints.find(request.projectId, request.endpointId))) {
      throw new ServiceException(ServiceErrorCode.NotFound, `provider endpoint ${request.endpointId} not found`);
    }
    return { deleted: await this.unavailableAs503(() => this.cache.clear(request.endpointId, request.model)) };
  }

  private async unavailableAs503<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      if (error instanceof CacheUnavailableError) throw new ServiceException(ServiceErrorCode.Unavailable, 'the response cache is unreachable');
      throw error;
    }
  }
}
