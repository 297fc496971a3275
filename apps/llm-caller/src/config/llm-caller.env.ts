import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, IsUrl, Max, Min } from 'class-validator';

/** llm-caller's environment, validated at boot. */
export class LlmCallerEnv {
  @IsString() @IsNotEmpty() DATABASE_URL!: string;
  @IsString() DB_SCHEMA: string = 'yardstick_llm_caller';
  /** Postgres connections this process may hold (keep replicas x pool under the server's max_connections). */
  @IsInt() @Min(1) @Max(500) DB_POOL_SIZE: number = 20;
  @IsString() @IsNotEmpty() NATS_URL: string = 'nats://127.0.0.1:4222';
  @IsString() BUS_PREFIX: string = '';
  @IsString() @IsNotEmpty() REDIS_URL: string = 'redis://127.0.0.1:6379';
  /** Prefixes every Redis key of this deployment (cache, locks, rate limits); tests use a unique one per run. */
  @IsString() @IsNotEmpty() REDIS_KEY_PREFIX: string = 'ys';
  @IsString() HOST: string = '127.0.0.1';
  @IsInt() @Min(0) @Max(65535) PORT: number = 3002;
  /** The default provider endpoint (OpenAI, Azure OpenAI, vLLM, Ollama or llm-sim): an OpenAI-compatible base URL. */
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true }) PROVIDER_BASE_URL: string = 'http://127.0.0.1:4010/v1';
  @IsString() @IsNotEmpty() PROVIDER_API_KEY: string = 'sk-local';
  /** Whether the default endpoint (PROVIDER_BASE_URL) has OpenAI's Files + Batches API; without it batch runs execute fast. */
  @IsIn(['true', 'false']) PROVIDER_SUPPORTS_BATCH: string = 'true';
  /** Provider calls in flight at once in this process (responses and embeddings together). */
  @IsInt() @Min(1) @Max(4096) PROVIDER_CONCURRENCY: number = 64;
  /** One provider call's timeout; the platform, not the SDK, retries. */
  @IsInt() @Min(100) PROVIDER_TIMEOUT_MS: number = 60_000;
  /** Rate limits of the default endpoint, for all replicas together (a project's endpoints carry their own). */
  @IsOptional() @IsInt() @Min(1) PROVIDER_RPM?: number;
  @IsOptional() @IsInt() @Min(1) PROVIDER_TPM?: number;
  @IsOptional() @IsInt() @Min(1) PROVIDER_MAX_CONCURRENCY?: number;
  /** Keyring that opens sealed provider API keys: `<id>:<base64 of 32 bytes>`, comma-separated (see libs/secrets). */
  @IsString() @IsNotEmpty() SECRET_KEYS!: string;
  @IsOptional() @IsString() SECRET_ACTIVE_KEY_ID?: string;
  /** How long a cached response lives, and how many bytes the cache may hold before evicting the oldest entries. */
  @IsInt() @Min(1000) CACHE_TTL_MS: number = 7 * 24 * 3600 * 1000;
  @IsInt() @Min(1024) CACHE_MAX_BYTES: number = 512 * 1024 * 1024;
  /** JSON `{ "<model>": { "input": <USD per 1M tokens>, "output": <USD per 1M tokens> } }` overriding the built-in price table. */
  @IsOptional() @IsString() PRICE_TABLE_JSON?: string;
}
