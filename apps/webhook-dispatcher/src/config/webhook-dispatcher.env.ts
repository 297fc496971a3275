import { IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, Min, Validate } from 'class-validator';
import { AllowedNetworksConstraint } from '../destinations/allowed-networks';
import { RetryScheduleConstraint } from '../webhooks/retry-schedule';

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
  /**
   * When each attempt of a delivery is due, counted from the event (or from a manual redelivery): comma-separated
   * durations with a unit (ms, s, m, h, d); the number of entries is the number of attempts. Tests compress it.
   */
  @Validate(RetryScheduleConstraint) WEBHOOK_RETRY_SCHEDULE: string = '0s,5s,5m,30m,2h,5h,10h,14h,20h,24h';
  /** How often each replica looks for due deliveries (a new event also wakes the replica that recorded it). */
  @IsInt() @Min(10) @Max(60_000) WEBHOOK_POLL_INTERVAL_MS: number = 1_000;
  /** How many due deliveries one replica claims and sends at once. */
  @IsInt() @Min(1) @Max(500) WEBHOOK_CLAIM_BATCH: number = 16;
  /** A subscription whose every attempt failed for this long is disabled (`disabled_reason: failing_too_long`). */
  @IsInt() @Min(1_000) WEBHOOK_DISABLE_AFTER_MS: number = 5 * 24 * 3600 * 1000;
  /** After rotate-secret, how long the previous secret keeps signing deliveries alongside the new one. */
  @IsInt() @Min(0) WEBHOOK_SECRET_OVERLAP_MS: number = 24 * 3600 * 1000;
  /**
   * Networks webhooks may reach although they are loopback/private/link-local: comma-separated IPs or CIDRs
   * (e.g. `127.0.0.0/8,::1/128`). For local development and tests only; empty in production.
   */
  @Validate(AllowedNetworksConstraint) WEBHOOK_ALLOWED_HOSTS: string = '';
  /** Keyring that seals webhook signing secrets: `<id>:<base64 of 32 bytes>`, comma-separated (see libs/secrets). */
  @IsString() @IsNotEmpty() SECRET_KEYS!: string;
  @IsOptional() @IsString() SECRET_ACTIVE_KEY_ID?: string;
}
