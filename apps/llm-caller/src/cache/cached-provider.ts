import { Injectable, Logger } from '@nestjs/common';
import { CacheMode, ModelParams, TokenUsage } from '@yardstick/contracts';
import { LlmCallerEnv } from '../config/llm-caller.env';
import { ResolvedEndpoint } from '../providers/endpoint.resolver';
import { ProviderClient } from '../provider/provider-client';
import { CacheUnavailableError, ResponseCache } from './response-cache';

export interface CallOutcome {
  usage: TokenUsage;
  costUsd: number;
  latencyMs: number;
  cacheHit: boolean;
  savedTokens: number;
  savedCostUsd: number;
  warnings: string[];
}

export interface GenerateOutcome extends CallOutcome {
  output: string;
  providerResponseId?: string;
}

export interface EmbedOutcome extends CallOutcome {
  vectors: number[][];
}

interface CachedResponse {
  output: string;
  usage: TokenUsage;
  cachedInputTokens: number;
}

interface CachedEmbedding {
  embedding: number[];
  tokens: number;
}

export interface GenerateRequest {
  model: string;
  input: string;
  instructions?: string;
  params: ModelParams;
  replicate: number;
  cacheMode: CacheMode;
  /** The prompt-pipeline step: part of the cache key (only when > 0, so single-stage keys are unchanged). */
  step?: number;
}

const ZERO: TokenUsage = { inputTokens: 0, outputTokens: 0, totalTokens: 0 };
export const CACHE_DOWN_WARNING = 'the response cache (Redis) was unreachable: some calls went through uncached';

/**
 * Provider calls behind the shared response cache. A hit costs 0 and records what it saved; errors and empty
 * outputs are never cached; identical concurrent requests in this process share one call. If Redis is down the
 * call goes through uncached and the outcome carries a warning for the run.
 */
@Injectable()
export class CachedProvider {
  private readonly logger = new Logger(CachedProvider.name);
  private readonly inFlight = new Map<string, Promise<GenerateOutcome>>();

  private readonly fillWaitMs: number;

  constructor(
    private readonly provider: ProviderClient,
    private readonly cache: ResponseCache,
    env: LlmCallerEnv,
  ) {
    this.fillWaitMs = env.PROVIDER_TIMEOUT_MS;
  }

  generate(endpoint: ResolvedEndpoint, request: GenerateRequest): Promise<GenerateOutcome> {
    const key = this.cache.key(endpoint.key, request.model, {
      kind: 'responses', input: request.input, instructions: request.instructions, params: request.params, replicate: request.replicate,
      step: request.step || undefined,
    });
    const shared = this.inFlight.get(key);
    if (shared) return shared.then((outcome) => ({ ...outcome }));
    const call = this.generateOnce(endpoint, request, key).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, call);
    return call;
  }

  private async generateOnce(endpoint: ResolvedEndpoint, request: GenerateRequest, key: string): Promise<GenerateOutcome> {
    const warnings: string[] = [];
    if (request.cacheMode !== CacheMode.Off) {
      const cached = await this.tryCache(() => this.cache.get<CachedResponse>(key), warnings);
      if (cached) return this.hit(endpoint, request, cached, warnings);
      await this.tryCache(() => this.cache.record(false), warnings);
      // Another replica may be making this very call: wait for its result rather than pay twice.
      const filled = await this.tryCache(() => this.cache.waitForFill<CachedResponse>(key, this.fillWaitMs), warnings);
      if (filled) return this.hit(endpoint, request, filled, warnings);
    }
    let generated;
    try {
      generated = await this.provider.generate(endpoint, request.model, request.input, request.instructions, request.params);
      if (request.cacheMode === CacheMode.ReadWrite && generated.output.trim()) {
        const value: CachedResponse = { output: generated.output, usage: generated.usage, cachedInputTokens: generated.cachedInputTokens };
        await this.tryCache(() => this.cache.set(key, value), warnings);
      }
    } finally {
      if (request.cacheMode !== CacheMode.Off) await this.tryCache(() => this.cache.releaseFill(key), warnings);
    }
    return {
      output: generated.output, usage: generated.usage, latencyMs: generated.latencyMs, providerResponseId: generated.providerResponseId,
      costUsd: endpoint.prices.cost(request.model, { ...generated.usage, cachedInputTokens: generated.cachedInputTokens }),
      cacheHit: false, savedTokens: 0, savedCostUsd: 0, warnings,
    };
  }

  private async hit(endpoint: ResolvedEndpoint, request: GenerateRequest, cached: CachedResponse, warnings: string[]): Promise<GenerateOutcome> {
    const savedCostUsd = endpoint.prices.cost(request.model, { ...cached.usage, cachedInputTokens: cached.cachedInputTokens });
    await this.tryCache(() => this.cache.record(true, cached.usage.totalTokens, savedCostUsd), warnings);
    return {
      output: cached.output, usage: ZERO, costUsd: 0, latencyMs: 0, cacheHit: true, savedTokens: cached.usage.totalTokens, savedCostUsd, warnings,
    };
  }

  /** Embeds texts, calling the provider only for those not cached; tokens of a batch call are shared out by length. */
  async embed(endpoint: ResolvedEndpoint, model: string, texts: string[], cacheMode: CacheMode): Promise<EmbedOutcome> {
    const warnings: string[] = [];
    const keys = texts.map((text) => this.cache.key(endpoint.key, model, { kind: 'embedding', text }));
    const cached: Array<CachedEmbedding | null> = cacheMode === CacheMode.Off
      ? texts.map(() => null)
      : await Promise.all(keys.map((key) => this.tryCache(() => this.cache.get<CachedEmbedding>(key), warnings)));
    const missing = texts.map((_, i) => i).filter((i) => !cached[i]);
    const vectors: number[][] = cached.map((entry) => entry?.embedding ?? []);
    let usage = ZERO;
    let latencyMs = 0;
    if (missing.length) {
      const embedded = await this.provider.embed(endpoint, model, missing.map((i) => texts[i]));
      usage = embedded.usage;
      latencyMs = embedded.latencyMs;
      const totalChars = missing.reduce((sum, i) => sum + Math.max(1, texts[i].length), 0);
      for (const [position, i] of missing.entries()) {
        vectors[i] = embedded.vectors[position];
        const tokens = Math.round((embedded.usage.totalTokens * Math.max(1, texts[i].length)) / totalChars);
        if (cacheMode === CacheMode.ReadWrite) {
          await this.tryCache(() => this.cache.set(keys[i], { embedding: vectors[i], tokens } satisfies CachedEmbedding), warnings);
        }
      }
    }
    const savedTokens = cached.reduce((sum, entry) => sum + (entry?.tokens ?? 0), 0);
    const savedCostUsd = endpoint.prices.cost(model, { inputTokens: savedTokens, outputTokens: 0 });
    if (cacheMode !== CacheMode.Off) {
      for (const entry of cached) {
        await this.tryCache(() => (entry ? this.cache.record(true, entry.tokens, endpoint.prices.cost(model, { inputTokens: entry.tokens, outputTokens: 0 }))
          : this.cache.record(false)), warnings);
      }
    }
    return {
      vectors, usage, latencyMs, costUsd: endpoint.prices.cost(model, { inputTokens: usage.inputTokens, outputTokens: 0 }),
      cacheHit: missing.length === 0, savedTokens, savedCostUsd, warnings,
    };
  }

  private async tryCache<T>(operation: () => Promise<T>, warnings: string[]): Promise<T | null> {
    try {
      return await operation();
    } catch (error) {
      if (!(error instanceof CacheUnavailableError)) throw error;
      if (!warnings.includes(CACHE_DOWN_WARNING)) {
        warnings.push(CACHE_DOWN_WARNING);
        this.logger.warn(error.message);
      }
      return null;
    }
  }
}
