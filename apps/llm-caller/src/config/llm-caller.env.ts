import { IsInt, IsNotEmpty, IsOptional, IsString, IsUrl, Max, Min } from 'class-validator';

/** llm-caller's environment, validated at boot. */
export class LlmCallerEnv {
  @IsString() @IsNotEmpty() DATABASE_URL!: string;
  @IsString() DB_SCHEMA = 'yardstick_llm_caller';
  @IsString() @IsNotEmpty() NATS_URL = 'nats://127.0.0.1:4222';
  @IsString() BUS_PREFIX = '';
  @IsString() @IsNotEmpty() REDIS_URL = 'redis://127.0.0.1:6379';
  @IsString() HOST = '127.0.0.1';
  @IsInt() @Min(0) @Max(65535) PORT = 3002;
  /** The default provider endpoint (OpenAI, Azure OpenAI, vLLM, Ollama or llm-sim): an OpenAI-compatible base URL. */
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true }) PROVIDER_BASE_URL = 'http://127.0.0.1:4010/v1';
  @IsString() @IsNotEmpty() PROVIDER_API_KEY = 'sk-local';
  /** Provider calls in flight at once in this process (responses and embeddings together). */
  @IsInt() @Min(1) @Max(4096) PROVIDER_CONCURRENCY = 64;
  /** One provider call's timeout; the platform, not the SDK, retries. */
  @IsInt() @Min(100) PROVIDER_TIMEOUT_MS = 60_000;
  /** JSON `{ "<model>": { "input": <USD per 1M tokens>, "output": <USD per 1M tokens> } }` overriding the built-in price table. */
  @IsOptional() @IsString() PRICE_TABLE_JSON?: string;
}
