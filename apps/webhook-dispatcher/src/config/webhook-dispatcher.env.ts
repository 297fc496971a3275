import { IsInt, IsNotEmpty, IsString, Matches, Max, Min } from 'class-validator';

// Every field is annotated with its type: loadEnvironment converts strings by the emitted design:type,
// which an unannotated `PORT = 3004` does not get (the value would stay a string and fail @IsInt).

/** The webhook dispatcher's environment, validated at boot. */
export class WebhookDispatcherEnv {
  /** Postgres connection string. */
  @IsString() @IsNotEmpty() DATABASE_URL!: string;
  /** The schema holding this service's tables (webhook_subscriptions, webhook_deliveries). */
  @IsString() DB_SCHEMA: string = 'yardstick_webhooks';
  /** Postgres connections this process may hold (keep replicas x pool under the server's max_connections). */
  @IsInt() @Min(1) @Max(500) DB_POOL_SIZE: number = 20;
  /** NATS server URLs, comma-separated. */
  @IsString() @IsNotEmpty() NATS_URL: string = 'nats://127.0.0.1:4222';
  /** Deployment namespace of subjects and streams; empty in production, unique per test run. */
  @Matches(/^[a-zA-Z0-9_-]*$/) BUS_PREFIX: string = '';
  /** Address of the health endpoints (/healthz, /readyz). */
  @IsString() HOST: string = '127.0.0.1';
  @IsInt() @Min(0) @Max(65535) PORT: number = 3004;
  /** How long one POST to a receiver may take, connection to last response header, before it counts as failed and retryable. */
  @IsInt() @Min(100) @Max(120_000) WEBHOOK_TIMEOUT_MS: number = 15_000;
}
