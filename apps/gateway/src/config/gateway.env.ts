import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, IsUUID, Max, Min } from 'class-validator';

/** The gateway's environment, validated at boot. */
export class GatewayEnv {
  @IsString() @IsNotEmpty() DATABASE_URL!: string;
  @IsString() DB_SCHEMA: string = 'yardstick_gateway';
  /** Postgres connections this process may hold (keep replicas x pool under the server's max_connections). */
  @IsInt() @Min(1) @Max(500) DB_POOL_SIZE: number = 20;
  @IsString() @IsNotEmpty() NATS_URL: string = 'nats://127.0.0.1:4222';
  @IsString() BUS_PREFIX: string = '';
  @IsString() HOST: string = '127.0.0.1';
  @IsInt() @Min(0) @Max(65535) PORT: number = 3000;
  @IsIn(['fs', 's3']) BLOB_DRIVER: string = 'fs';
  /** Largest dataset file (CSV or JSONL) accepted, in bytes; uploads stream to disk, so this bounds disk, not memory. */
  @IsInt() @Min(1) DATASET_MAX_BYTES: number = 200 * 1024 * 1024;
  /** Most data rows accepted in one dataset file. */
  @IsInt() @Min(1) DATASET_MAX_ROWS: number = 100_000;
  /** Most items (rows x duplication factor) a dataset may have to be run in fast mode. */
  @IsInt() @Min(1) FAST_MODE_MAX_ITEMS: number = 5_000;
  /** Embedding model used for semantic-similarity scoring when a config does not name one. */
  @IsString() @IsNotEmpty() DEFAULT_EMBEDDING_MODEL: string = 'text-embedding-3-small';
  /** Redis holding the per-key rate-limit counters shared by gateway replicas. */
  @IsString() @IsNotEmpty() REDIS_URL: string = 'redis://127.0.0.1:6379';
  /** Prefix of this deployment's Redis keys. */
  @IsString() @IsNotEmpty() REDIS_KEY_PREFIX: string = 'ys';
  /** Requests one API key may make per window (all gateway replicas together); over it the API answers 429. */
  @IsInt() @Min(1) RATE_LIMIT_REQUESTS: number = 1_200;
  @IsInt() @Min(1_000) RATE_LIMIT_WINDOW_MS: number = 60_000;
  /** Keyring sealing provider API keys: `<id>:<base64 of 32 bytes>`, comma-separated (see libs/secrets). */
  @IsString() @IsNotEmpty() SECRET_KEYS!: string;
  @IsOptional() @IsString() SECRET_ACTIVE_KEY_ID?: string;
  @IsInt() @Min(100) RPC_TIMEOUT_MS: number = 15_000;
  /** How long run creation may take: the orchestrator inserts every item (100,000 take several seconds) before answering. */
  @IsInt() @Min(100) CREATE_RUN_TIMEOUT_MS: number = 120_000;
}
