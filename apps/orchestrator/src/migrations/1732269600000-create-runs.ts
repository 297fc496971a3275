import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateRuns1732269600000 implements MigrationInterface {
  name = 'CreateRuns1732269600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TYPE run_status AS ENUM ('running', 'completed', 'failed', 'cancelled')`);
    await queryRunner.query(`CREATE TYPE run_mode AS ENUM ('fast', 'batch')`);
    await queryRunner.query(`CREATE TYPE stage AS ENUM ('responses', 'embeddings', 'scoring')`);
    await queryRunner.query(
      `CREATE TYPE item_stage_state AS ENUM ('pending', 'in_flight', 'succeeded', 'failed_retryable', 'failed_permanent', 'cancelled')`,
    );
    await queryRunner.query(`CREATE TYPE item_state AS ENUM ('in_progress', 'succeeded', 'failed', 'cancelled')`);
    await queryRunner.query(`
      CREATE TABLE evaluation_runs (
        id uuid PRIMARY KEY,
        project_id uuid NOT NULL,
        run_name text NOT NULL,
        run_mode run_mode NOT NULL,
        status run_status NOT NULL,
        dataset_id uuid NOT NULL,
        config_id uuid NOT NULL,
        config_version int NOT NULL,
        config jsonb NOT NULL,
        scorers jsonb NOT NULL,
        items_total int NOT NULL,
        items_succeeded int NOT NULL DEFAULT 0,
        items_failed int NOT NULL DEFAULT 0,
        failure_threshold double precision NOT NULL,
        score_mean double precision,
        score_std double precision,
        score_count int NOT NULL DEFAULT 0,
        error text,
        results_exported_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz,
        completed_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_evaluation_runs_project_run_name UNIQUE (project_id, run_name)
      )`);
    await queryRunner.query(`CREATE INDEX ix_evaluation_runs_project_created ON evaluation_runs (project_id, created_at DESC)`);
    await queryRunner.query(`CREATE INDEX ix_evaluation_runs_running ON evaluation_runs (id) WHERE status = 'running'`);
    await queryRunner.query(`
      CREATE TABLE run_items (
        id uuid PRIMARY KEY,
        run_id uuid NOT NULL REFERENCES evaluation_runs (id) ON DELETE CASCADE,
        project_id uuid NOT NULL,
        item_index int NOT NULL,
        dataset_item_id uuid NOT NULL,
        replicate int NOT NULL,
        category text,
        question text NOT NULL,
        ground_truth text NOT NULL,
        state item_state NOT NULL DEFAULT 'in_progress',
        output text,
        output_embedding real[],
        score double precision,
        scores jsonb NOT NULL DEFAULT '{}',
        error_stage stage,
        error_code text,
        error_message text,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_run_items_run_index UNIQUE (run_id, item_index)
      )`);
    await queryRunner.query(`CREATE INDEX ix_run_items_run_in_progress ON run_items (run_id) WHERE state = 'in_progress'`);
    await queryRunner.query(`
      CREATE TABLE item_stages (
        item_id uuid NOT NULL REFERENCES run_items (id) ON DELETE CASCADE,
        stage stage NOT NULL,
        run_id uuid NOT NULL,
        project_id uuid NOT NULL,
        state item_stage_state NOT NULL,
        attempt int NOT NULL DEFAULT 0,
        lease_until timestamptz,
        next_attempt_at timestamptz,
        input_tokens int,
        output_tokens int,
        total_tokens int,
        latency_ms int,
        cost_usd numeric(20, 10) NOT NULL DEFAULT 0,
        error_code text,
        error_message text,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (item_id, stage)
      )`);
    await queryRunner.query(`CREATE INDEX ix_item_stages_run_stage_state ON item_stages (run_id, stage, state)`);
    await queryRunner.query(`CREATE INDEX ix_item_stages_due_retry ON item_stages (next_attempt_at) WHERE state = 'failed_retryable'`);
    await queryRunner.query(`CREATE INDEX ix_item_stages_lease ON item_stages (lease_until) WHERE state IN ('in_flight', 'pending')`);
    await queryRunner.query(`
      CREATE TABLE ground_truth_embeddings (
        dataset_item_id uuid NOT NULL,
        embedding_model text NOT NULL,
        project_id uuid NOT NULL,
        embedding real[] NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (dataset_item_id, embedding_model)
      )`);
    await queryRunner.query(`
      CREATE TABLE outbox (
        id text PRIMARY KEY,
        subject text NOT NULL,
        correlation_id text NOT NULL,
        payload jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        published_at timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX ix_outbox_unpublished ON outbox (created_at) WHERE published_at IS NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['outbox', 'ground_truth_embeddings', 'item_stages', 'run_items', 'evaluation_runs']) {
      await queryRunner.query(`DROP TABLE IF EXISTS ${table}`);
    }
    for (const type of ['item_state', 'item_stage_state', 'stage', 'run_mode', 'run_status']) {
      await queryRunner.query(`DROP TYPE IF EXISTS ${type}`);
    }
  }
}
