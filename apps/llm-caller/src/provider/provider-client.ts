import { Injectable } from '@nestjs/common';
import OpenAI from 'openai';
import { ModelParams, TokenUsage } from '@yardstick/contracts';
import { LlmCallerEnv } from '../config/llm-caller.env';
import type { ResolvedEndpoint } from '../providers/endpoint.resolver';
import { ProviderRateLimiter } from '../rate-limit';
import { ConcurrencyLimiter } from '@yardstick/service-runtime';
import { InvalidProviderResponseError } from './invalid-provider-response.error';
import { retryAfterMs } from './provider-error.classifier';

export interface GeneratedText {
  output: string;
  usage: TokenUsage;
  /** Input tokens the provider served from its own prompt cache. */
  cachedInputTokens: number;
  latencyMs: number;
  providerResponseId: string;
}

export interface Embeddings {
  vectors: number[][];
  usage: TokenUsage;
  latencyMs: number;
}

type Metered = { usage: TokenUsage };


/**
 * Every call to a model provider goes through the official SDK here, with the SDK's own retries off
 * (they would retry timeouts and bill twice): the platform retries and counts attempts.
 */
@Injectable()
export class ProviderClient {
  private readonly limiter: ConcurrencyLimiter;

  constructor(
    env: LlmCallerEnv,
    private readonly rateLimits: ProviderRateLimiter,
  ) {
    this.limiter = new ConcurrencyLimiter(env.PROVIDER_CONCURRENCY);
  }

  generate(endpoint: ResolvedEndpoint, model: string, input: string, instructions: string | undefined, params: ModelParams): Promise<GeneratedText> {
    const estimate = Math.ceil(((instructions?.length ?? 0) + input.length) / 4) + (params.maxOutputTokens ?? 256);
    return this.limited(endpoint, model, estimate, async () => {
      const started = performance.now();
      const { data: response, response: raw } = await endpoint.client.responses.create({
        model,
        input,
        instructions,
        temperature: params.temperature,
        top_p: params.topP,
        max_output_tokens: params.maxOutputTokens,
      }).withResponse();
      if (hasLimits(endpoint.rateLimits)) await this.rateLimits.observeHeaders(rateKey(endpoint, model), raw.headers);
      return {
        output: response.output_text,
        usage: {
          inputTokens: response.usage?.input_tokens ?? 0,
          outputTokens: response.usage?.output_tokens ?? 0,
          totalTokens: response.usage?.total_tokens ?? 0,
        },
        cachedInputTokens: response.usage?.input_tokens_details?.cached_tokens ?? 0,
        latencyMs: Math.round(performance.now() - started),
        providerResponseId: response.id,
      };
    });
  }

  embed(endpoint: ResolvedEndpoint, model: string, texts: string[]): Promise<Embeddings> {
    const estimate = Math.ceil(texts.reduce((sum, text) => sum + text.length, 0) / 4);
    return this.limited(endpoint, model, estimate, async () => {
      const started = performance.now();
      const { data: response, response: raw } = await endpoint.client.embeddings.create({ model, input: texts }).withResponse();
      if (hasLimits(endpoint.rateLimits)) await this.rateLimits.observeHeaders(rateKey(endpoint, model), raw.headers);
      if (response.data.length !== texts.length) {
        throw new InvalidProviderResponseError(`the provider returned ${response.data.length} embeddings for ${texts.length} texts`);
      }
      const vectors = [...response.data].sort((a, b) => a.index - b.index).map((d) => Array.from(d.embedding, toFloat32Precision));
      return {
        vectors,
        usage: { inputTokens: response.usage.prompt_tokens, outputTokens: 0, totalTokens: response.usage.total_tokens },
        latencyMs: Math.round(performance.now() - started),
      };
    });
  }

  /**
   * The endpoint's rate limits (all replicas together, in Redis), then this process's concurrency cap, then the call.
   * A 429 blocks the endpoint's model for every replica until its Retry-After.
   */
  private async limited<T extends Metered>(endpoint: ResolvedEndpoint, model: string, estimatedTokens: number, call: () => Promise<T>): Promise<T> {
    // An endpoint without limits skips the shared limiter (and its Redis round trips); its 429s are still retried
    // no sooner than Retry-After, per item, by the orchestrator.
    if (!hasLimits(endpoint.rateLimits)) return this.limiter.run(call);
    const key = rateKey(endpoint, model);
    const permit = await this.rateLimits.acquire(key, endpoint.rateLimits, estimatedTokens);
    let used: number | undefined;
    try {
      const result = await this.limiter.run(call);
      used = result.usage.totalTokens;
      return result;
    } catch (error) {
      if (error instanceof OpenAI.APIError && error.status === 429) await this.rateLimits.observeRateLimited(key, retryAfterMs(error.headers));
      throw error;
    } finally {
      await permit.release(used);
    }
  }
}

function hasLimits(limits: ResolvedEndpoint['rateLimits']): boolean {
  return Boolean(limits.requestsPerMinute || limits.tokensPerMinute || limits.maxConcurrency);
}

function rateKey(endpoint: ResolvedEndpoint, model: string): string {
  return `${endpoint.key}:${model}`;
}

/**
 * Providers compute embeddings in float32: 9 significant digits keep every bit of it, and make the JSON
 * that carries a vector through Postgres and the bus about half as long as a double's 17 digits.
 */
export function toFloat32Precision(value: number): number {
  return Number(value.toPrecision(9));
}
