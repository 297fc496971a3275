import { Injectable } from '@nestjs/common';
import OpenAI from 'openai';
import { ModelParams, TokenUsage } from '@yardstick/contracts';
import { LlmCallerEnv } from '../config/llm-caller.env';
import { ConcurrencyLimiter } from './concurrency-limiter';

export interface GeneratedText {
  output: string;
  usage: TokenUsage;
  latencyMs: number;
  providerResponseId: string;
}

export interface Embeddings {
  vectors: number[][];
  usage: TokenUsage;
  latencyMs: number;
}

/**
 * Every call to a model provider goes through the official SDK here. The SDK's own retries are off
 * (they would retry timeouts and bill twice); the platform retries and counts attempts.
 */
@Injectable()
export class ProviderClient {
  private readonly client: OpenAI;
  private readonly limiter: ConcurrencyLimiter;

  constructor(env: LlmCallerEnv) {
    this.client = new OpenAI({
      baseURL: env.PROVIDER_BASE_URL,
      apiKey: env.PROVIDER_API_KEY,
      maxRetries: 0,
      timeout: env.PROVIDER_TIMEOUT_MS,
    });
    this.limiter = new ConcurrencyLimiter(env.PROVIDER_CONCURRENCY);
  }

  generate(model: string, input: string, instructions: string | undefined, params: ModelParams): Promise<GeneratedText> {
    return this.limiter.run(async () => {
      const started = performance.now();
      const response = await this.client.responses.create({
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
        latencyMs: Math.round(performance.now() - started),
        providerResponseId: response.id,
      };
    });
  }

  embed(model: string, texts: string[]): Promise<Embeddings> {
    return this.limiter.run(async () => {
      const started = performance.now();
      const response = await this.client.embeddings.create({ model, input: texts });
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
