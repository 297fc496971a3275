import { IsIn, IsInt, IsNotEmpty, IsNumber, IsString, Max, Min } from 'class-validator';

/** The orchestrator's environment, validated at boot. */
export class OrchestratorEnv {
  @IsString() @IsNotEmpty() DATABASE_URL!: string;
  @IsString() DB_SCHEMA: string = 'yardstick_orchestrator';
  /** Postgres connections this process may hold (keep replicas x pool under the server's max_connections). */
  @IsInt() @Min(1) @Max(500) DB_POOL_SIZE: number = 20;
  @IsString() @IsNotEmpty() NATS_URL: string = 'nats://127.0.0.1:4222';
  @IsString() BUS_PREFIX: string = '';
  @IsString() HOST: string = '127.0.0.1';
  @IsInt() @Min(0) @Max(65535) PORT: number = 3001;
  @IsIn(['fs', 's3']) BLOB_DRIVER: string = 'fs';
  /** How long a dispatched item may stay in flight before the reconciler dispatches it again. */
  @IsInt() @Min(1000) ITEM_LEASE_MS: number = 300_000;
  /** How often the reconciler looks for due retries, expired leases, unfinished runs and unpublished events. */
  @IsInt() @Min(100) RECONCILE_INTERVAL_MS: number = 2_000;
  /** Attempts per item and stage before a retryable failure becomes permanent. */
  @IsInt() @Min(1) @Max(50) MAX_ATTEMPTS: number = 5;
  @IsInt() @Min(0) RETRY_BASE_DELAY_MS: number = 1_000;
  @IsInt() @Min(0) RETRY_MAX_DELAY_MS: number = 60_000;
  /** How many handler calls run at once per consumer in this process. */
  @IsInt() @Min(1) @Max(1024) HANDLER_CONCURRENCY: number = 64;
  /** Most items of one run waiting for or in a provider call at once; more are claimed as these finish (backpressure). */
  @IsInt() @Min(1) MAX_IN_FLIGHT_PER_RUN: number = 1_024;
  /** The failure threshold can fail a run early only once this many items have finished. */
  @IsInt() @Min(0) FAILURE_MIN_FINISHED_ITEMS: number = 20;
  @IsNumber() @Min(0) @Max(1) DEFAULT_FAILURE_THRESHOLD: number = 0.5;
  /** Most configs an experiment's grid may have; a larger grid is refused when the experiment is created. */
  @IsInt() @Min(1) EXPERIMENT_MAX_CONFIGS: number = 500;
  /** How often the sweep driver harvests finished runs and starts the next configs of running experiments. */
  @IsInt() @Min(100) EXPERIMENT_TICK_MS: number = 1_000;
  /** Batch mode (docs/state-machine.md, "Batch mode"): how often the batch poller looks for work to submit and batches to poll. */
  @IsInt() @Min(100) BATCH_TICK_MS: number = 1_000;
  /** The first wait between two polls of a provider batch; it grows 1.5x per poll up to BATCH_POLL_MAX_MS. */
  @IsInt() @Min(100) BATCH_POLL_MIN_MS: number = 2_000;
  @IsInt() @Min(100) BATCH_POLL_MAX_MS: number = 300_000;
  /** Most requests and bytes in one provider batch (OpenAI: 50,000 and 200 MB); larger stages are split. */
  @IsInt() @Min(1) @Max(50_000) BATCH_MAX_REQUESTS: number = 50_000;
  @IsInt() @Min(1024) BATCH_MAX_BYTES: number = 200 * 1024 * 1024;
  /** Where requests that failed or expired in a batch are retried: a follow-up batch, or the fast path. */
  @IsIn(['batch', 'fast']) BATCH_RETRY_MODE: 'batch' | 'fast' = 'fast';
  /** How long an item may sit in a provider batch before the fast path takes it over (the 24 h window plus margin). */
  @IsInt() @Min(1000) BATCH_ITEM_LEASE_MS: number = 26 * 3_600_000;
  /** How long one poller pass may hold a stage batch (submit, poll or collect) before another replica may take it. */
  @IsInt() @Min(1000) BATCH_LEASE_MS: number = 120_000;
}
