import { IsInt, IsNotEmpty, IsOptional, IsString, IsUrl, Max, Min } from 'class-validator';

/** llm-caller's environment, validated at boot. */
export class LlmCallerEnv {
  @IsString() @IsNotEmpty() DATABASE_URL!: string;
  @IsString() DB_SCHEMA: string = 'yardstick_llm_caller';
  @IsString() @IsNotEmpty() NATS_URL: string = 'nats://127.0.0.1:4222';
  @IsString() BUS_PREFIX: string = '';
  @IsString() @IsNotEmpty() REDIS_URL: string = 'redis://127.0.0.1:6379';
  @IsString() HOST: string = '127.0.0.1';
  @IsInt() @Min(0) @Max(65535) PORT: number = 3002;
  /** The default provider endpoint (OpenAI, Azure OpenAI, vLLM, Ollama or llm-sim): an OpenAI-compatible base URL. */
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true }) PROVIDER_BASE_URL: string = 'http://127.0.0.1:4010/v1';
  @IsString() @IsNotEmpty() PROVIDER_API_KEY: string = 'sk-local';
  /** Provider calls in flight at once in this process (responses and embeddings together). */
  @IsInt() @Min(1) @Max(4096) PROVIDER_CONCURRENCY: number = 64;
  /** One provider call's timeout; the platform, not the SDK, retries. */
  @IsInt() @Min(100) PROVIDER_TIMEOUT_MS: number = 60_000;
  /** JSON `{ "<model>": { "input": <USD per 1M tokens>, "output": <USD per 1M tokens> } }` overriding the built-in price table. */
  @IsOptional() @IsString() PRICE_TABLE_JSON?: string;
}
