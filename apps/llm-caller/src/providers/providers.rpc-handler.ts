import { Injectable } from '@nestjs/common';
import { OnRequest } from '@yardstick/bus';
import {
  CreateProviderRequest, ListProvidersRequest, Page, ProviderEndpointView, ProviderRequest, ProviderTestResult, RpcSubjects, UpdateProviderRequest,
} from '@yardstick/contracts';
import { EndpointResolver } from './endpoint.resolver';
import { ProviderEndpointsRepository } from './provider-endpoints.repository';
import { toProviderView } from './provider.presenter';

/** Provider endpoints, managed through the gateway. Keys arrive sealed and never leave this service in any form. */
@Injectable()
export class ProvidersRpcHandler {
  constructor(
    private readonly endpoints: ProviderEndpointsRepository,
    private readonly resolver: EndpointResolver,
  ) {}

  @OnRequest(RpcSubjects.CreateProvider)
  async create(request: CreateProviderRequest): Promise<ProviderEndpointView> {
    return toProviderView(await this.endpoints.create(request));
  }

  @OnRequest(RpcSubjects.UpdateProvider)
  async update(request: UpdateProviderRequest): Promise<ProviderEndpointView> {
    const { projectId, providerId, ...fields } = request;
    const updated = await this.endpoints.update(projectId, providerId, fields);
    this.resolver.forget(projectId, providerId);
    return toProviderView(updated);
  }

  @OnRequest(RpcSubjects.GetProvider)
  async get(request: ProviderRequest): Promise<ProviderEndpointView> {
    return toProviderView(await this.endpoints.get(request.projectId, request.providerId));
  }

  @OnRequest(RpcSubjects.ListProviders)
  async list(request: ListProvidersRequest): Promise<Page<ProviderEndpointView>> {
    const [items, total] = await this.endpoints.list(request.projectId, request.limit, request.offset);
    return { items: items.map(toProviderView), total, limit: request.limit, offset: request.offset };
  }

  @OnRequest(RpcSubjects.DeleteProvider)
  async remove(request: ProviderRequest): Promise<{ deleted: boolean }> {
    await this.endpoints.delete(request.projectId, request.providerId);
    this.resolver.forget(request.projectId, request.providerId);
    return { deleted: true };
  }

  /** Lists the endpoint's models with its key. A failure is an answer (`ok: false`), with the key kept out of it. */
  @OnRequest(RpcSubjects.TestProvider)
  async test(request: ProviderRequest): Promise<ProviderTestResult> {
    const endpoint = this.resolver.build(await this.endpoints.get(request.projectId, request.providerId));
    const started = performance.now();
    try {
      const models: string[] = [];
      for await (const model of endpoint.client.models.list()) models.push(model.id);
      return { ok: true, latencyMs: Math.round(performance.now() - started), models, error: null };
    } catch (error) {
      const status = (error as { status?: number }).status;
      const message = status === 401 ? 'the provider rejected the API key (401)'
        : status ? `the provider answered ${status}` : `could not reach the provider: ${(error as Error).message}`;
      return { ok: false, latencyMs: Math.round(performance.now() - started), models: [], error: message };
    }
  }
}
