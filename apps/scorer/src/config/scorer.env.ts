import { IsIn, IsInt, IsNotEmpty, IsString, Matches, Max, Min } from 'class-validator';

// Every field is annotated with its type: loadEnvironment converts strings by the emitted design:type,
// which an unannotated `PORT = 3003` does not get (the value would stay a string and fail @IsInt).

/** The scorer's environment, validated at boot. It keeps no state: no database; batch mode's score pages travel through the blob store. */
export class ScorerEnv {
  /** NATS server URLs, comma-separated. */
  @IsString() @IsNotEmpty() NATS_URL: string = 'nats://127.0.0.1:4222';
  /** Deployment namespace of subjects and streams; empty in production, unique per test run. */
  @Matches(/^[a-zA-Z0-9_-]*$/) BUS_PREFIX: string = '';
  /** Address of the health endpoints (/healthz, /readyz). */
  @IsString() HOST: string = '127.0.0.1';
  @IsInt() @Min(0) @Max(65535) PORT: number = 3003;
  /** Where score pages are read and written (the BLOB_* variables, as for the orchestrator and llm-caller). */
  @IsIn(['fs', 's3']) BLOB_DRIVER: string = 'fs';
  /** How many ScoreItem commands this process scores at once. */
  @IsInt() @Min(1) @Max(1024) HANDLER_CONCURRENCY: number = 64;
  /** How long an llm_judge waits for llm-caller's judge completion (rate-limit waits included) before the item's scoring is retried. */
  @IsInt() @Min(1_000) @Max(600_000) JUDGE_TIMEOUT_MS: number = 120_000;
}
