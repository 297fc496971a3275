import { ProviderEndpointView } from '@yardstick/contracts';
import { ProviderEndpointEntity } from './provider-endpoint.entity';

/** Never includes the key: only whether there is one and its last four characters. */
export function toProviderView(entity: ProviderEndpointEntity): ProviderEndpointView {
  return {
    id: entity.id,
    projectId: entity.projectId,
    name: entity.name,
    kind: entity.kind,
    baseUrl: entity.baseUrl,
    hasApiKey: entity.apiKeySealed !== null,
    apiKeyLast4: entity.apiKeySealed !== null ? entity.apiKeyLast4 : null,
    azureApiVersion: entity.azureApiVersion,
    defaultHeaders: entity.defaultHeaders,
    supportsBatch: entity.supportsBatch,
    rateLimits: entity.rateLimits,
    priceOverrides: entity.priceOverrides,
    createdAt: entity.createdAt.toISOString(),
    updatedAt: entity.updatedAt.toISOString(),
  };
}
