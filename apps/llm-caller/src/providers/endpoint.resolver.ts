import { Inject, Injectable } from '@nestjs/common';
import OpenAI, { AzureOpenAI } from 'openai';
import { ProviderKind, ProviderRateLimits } from '@yardstick/contracts';
import { SecretBox } from '@yardstick/secrets';
import { LlmCallerEnv } from '../config/llm-caller.env';
import { PriceTable } from '../pricing/price-table';
import { ProviderEndpointEntity } from './provider-endpoint.entity';
import { ProviderEndpointsRepository } from './provider-endpoints.repository';

/** An endpoint ready to call: its SDK client (key opened), limits and prices. */
export interface ResolvedEndpoint {
  /** The endpoint's id, or `default`: names it in cache keys and rate-limit keys. */
  key: string;
  client: OpenAI;
  rateLimits: ProviderRateLimits;
  prices: PriceTable;
  /** The endpoint has OpenAI's Files + Batches API (`supports_batch`). */
  supportsBatch: boolean;
}

export const DEFAULT_ENDPOINT = 'default';
const TTL_MS = 30_000;

/**
 * Turns a command's endpoint id into a client. Clients are kept for 30 s, so an edited endpoint takes effect within
 * that; the API key is opened from its sealed form only here, in memory, and never logged.
 */
@Injectable()
export class EndpointResolver {
  private readonly resolved = new Map<string, { endpoint: ResolvedEndpoint; expiresAt: number }>();
  private readonly fallback: ResolvedEndpoint;

  constructor(
    private readonly endpoints: ProviderEndpointsRepository,
    private readonly env: LlmCallerEnv,
    @Inject(SecretBox) private readonly secrets: SecretBox,
    private readonly prices: PriceTable,
  ) {
    this.fallback = {
      key: DEFAULT_ENDPOINT,
      client: new OpenAI({ baseURL: env.PROVIDER_BASE_URL, apiKey: env.PROVIDER_API_KEY, maxRetries: 0, timeout: env.PROVIDER_TIMEOUT_MS }),
      rateLimits: {
        requestsPerMinute: env.PROVIDER_RPM, tokensPerMinute: env.PROVIDER_TPM, maxConcurrency: env.PROVIDER_MAX_CONCURRENCY,
      },
      prices,
      supportsBatch: env.PROVIDER_SUPPORTS_BATCH === 'true',
    };
  }

  /** Throws a ServiceException (not_found) when the project has no such endpoint. */
  async resolve(projectId: string, endpointId: string | undefined): Promise<ResolvedEndpoint> {
    if (!endpointId) return this.fallback;
    const cacheKey = `${projectId}:${endpointId}`;
    const cached = this.resolved.get(cacheKey);
    if (cached && cached.expiresAt > Date.now()) return cached.endpoint;
    const endpoint = this.build(await this.endpoints.get(projectId, endpointId));
    this.resolved.set(cacheKey, { endpoint, expiresAt: Date.now() + TTL_MS });
    return endpoint;
  }

  build(entity: ProviderEndpointEntity): ResolvedEndpoint {
    const apiKey = entity.apiKeySealed ? this.secrets.open(entity.apiKeySealed) : 'none';
    const common = { apiKey, maxRetries: 0, timeout: this.env.PROVIDER_TIMEOUT_MS, defaultHeaders: entity.defaultHeaders };
    const client = entity.kind === ProviderKind.AzureOpenAI
      ? new AzureOpenAI({ ...common, endpoint: entity.baseUrl, apiVersion: entity.azureApiVersion ?? '2024-10-21' })
      : new OpenAI({ ...common, baseURL: entity.baseUrl });
    return { key: entity.id, client, rateLimits: entity.rateLimits, prices: this.prices.withOverrides(entity.priceOverrides), supportsBatch: entity.supportsBatch };
  }

  forget(projectId: string, endpointId: string): void {
    this.resolved.delete(`${projectId}:${endpointId}`);
  }
}
