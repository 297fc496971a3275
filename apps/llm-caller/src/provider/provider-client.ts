import { Injectable } from '@nestjs/common';
import OpenAI from 'openai';
import { ModelParams, TokenUsage } from '@yardstick/contracts';
import { LlmCallerEnv } from '../config/llm-caller.env';
import { ConcurrencyLimiter } from './concurrency-limiter';

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

/** The provider answered with something the platform cannot use (e.g. fewer embeddings than texts). */
export class InvalidProviderResponseError extends Error {}

/**
 * Every call to a model provider goes through the official SDK here, with the SDK's own retries off
 * (they would retry timeouts and bill twice): the platform retries and counts attempts.
 */
@Injectable()
export class ProviderClient {
  private readonly limiter: ConcurrencyLimiter;

  constructor(env: LlmCallerEnv) {
    this.limiter = new ConcurrencyLimiter(env.PROVIDER_CONCURRENCY);
  }

  generate(client: OpenAI, model: string, input: string, instructions: string | undefined, params: ModelParams): Promise<GeneratedText> {
    return this.limiter.run(async () => {
      const started = performance.now();
      const response = await client.responses.create({
        model,
        input,
        instructions,
        temperature: params.temperature,
        top_p: params.topP,
        max_output_tokens: params.maxOutputTokens,
      });
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

  embed(client: OpenAI, model: string, texts: string[]): Promise<Embeddings> {
    return this.limiter.run(async () => {
      const started = performance.now();
      const response = await client.embeddings.create({ model, input: texts });
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
}

/**
 * Providers compute embeddings in float32: 9 significant digits keep every bit of it, and make the JSON
 * that carries a vector through Postgres and the bus about half as long as a double's 17 digits.
 */
export function toFloat32Precision(value: number): number {
  return Number(value.toPrecision(9));
}
