import { MigrationInterface, QueryRunner } from 'typeorm';

/** Batch mode: one row per provider batch of a run's stage, followed by the batch poller (docs/state-machine.md, "Batch mode"). */
export class StageBatches1732270900000 implements MigrationInterface {
  name = 'StageBatches1732270900000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TYPE stage_batch_status AS ENUM ('preparing', 'submitted', 'collecting', 'completed', 'failed', 'expired', 'cancelled', 'unsupported')`,
    );
    await queryRunner.query(`
      CREATE TABLE stage_batches (
        id uuid PRIMARY KEY,
        run_id uuid NOT NULL REFERENCES evaluation_runs (id) ON DELETE CASCADE,
        project_id uuid NOT NULL,
        stage stage NOT NULL,
        -- The nth batch of the run's stage (large runs are split, failed requests may get a follow-up batch).
        sequence int NOT NULL,
        -- The run's attempt (a retried run starts new batches).
        attempt int NOT NULL,
        status stage_batch_status NOT NULL DEFAULT 'preparing',
        provider_status text,
        provider_batch_id text,
        model text NOT NULL,
        -- BATCH_RETRY_MODE when the batch was created: its failed requests go to a follow-up batch ('batch') or the fast path.
        retry_mode text NOT NULL DEFAULT 'fast',
        endpoint_id uuid,
        input_blob_key text,
        input_file_id text,
        output_file_id text,
        error_file_id text,
        request_count int NOT NULL DEFAULT 0,
        requests_completed int NOT NULL DEFAULT 0,
        requests_failed int NOT NULL DEFAULT 0,
        cost_usd numeric(20, 10) NOT NULL DEFAULT 0,
        error text,
        polls int NOT NULL DEFAULT 0,
        next_poll_at timestamptz NOT NULL DEFAULT now(),
        lease_until timestamptz,
        submitted_at timestamptz,
        ended_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_stage_batches_run_stage_sequence_attempt UNIQUE (run_id, stage, sequence, attempt)
      )`);
    await queryRunner.query(
      `CREATE INDEX ix_stage_batches_open ON stage_batches (next_poll_at) WHERE status IN ('preparing', 'submitted', 'collecting')`,
    );
    // Which stage batch an item's stage row is in (the row's current attempt).
    await queryRunner.query(`ALTER TABLE item_stages ADD COLUMN stage_batch_id uuid`);
    await queryRunner.query(`CREATE INDEX ix_item_stages_stage_batch ON item_stages (stage_batch_id, item_id) WHERE stage_batch_id IS NOT NULL`);
    // How a batch run actually executes: 'batch', or 'fast_fallback' when its endpoint has no Batch API.
    await queryRunner.query(`ALTER TABLE evaluation_runs ADD COLUMN execution text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE evaluation_runs DROP COLUMN execution`);
    await queryRunner.query(`ALTER TABLE item_stages DROP COLUMN stage_batch_id`);
    await queryRunner.query(`DROP TABLE stage_batches`);
    await queryRunner.query(`DROP TYPE stage_batch_status`);
  }
}
