import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateExperiments1732270500000 implements MigrationInterface {
  name = 'CreateExperiments1732270500000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE experiments (
        id uuid PRIMARY KEY,
        project_id uuid NOT NULL,
        name text NOT NULL,
        status text NOT NULL,
        status_reason text,
        dataset jsonb NOT NULL,
        dataset_stats jsonb NOT NULL,
        base_config jsonb NOT NULL,
        space jsonb NOT NULL,
        strategy jsonb NOT NULL,
        scorers jsonb NOT NULL,
        run_mode run_mode NOT NULL,
        cache_mode cache_mode NOT NULL,
        budget jsonb NOT NULL,
        prices jsonb NOT NULL DEFAULT '{}',
        max_concurrent_runs int NOT NULL,
        estimate jsonb NOT NULL,
        best_config_id uuid,
        best_score double precision,
        created_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz,
        finished_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX ix_experiments_project_created ON experiments (project_id, created_at DESC)`);
    await queryRunner.query(`CREATE INDEX ix_experiments_active ON experiments (id) WHERE status IN ('running', 'paused')`);
    await queryRunner.query(`
      CREATE TABLE experiment_configs (
        id uuid PRIMARY KEY,
        experiment_id uuid NOT NULL REFERENCES experiments (id) ON DELETE CASCADE,
        project_id uuid NOT NULL,
        ordinal int NOT NULL,
        wave int NOT NULL DEFAULT 0,
        params jsonb NOT NULL,
        config jsonb NOT NULL,
        config_hash text NOT NULL,
        run_id uuid REFERENCES evaluation_runs (id),
        status text NOT NULL,
        score double precision,
        cost_usd numeric(20, 10) NOT NULL DEFAULT 0,
        tokens bigint NOT NULL DEFAULT 0,
        reserved_cost_usd numeric(20, 10),
        reserved_tokens bigint NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz,
        CONSTRAINT uq_experiment_configs_hash UNIQUE (experiment_id, config_hash),
        CONSTRAINT uq_experiment_configs_ordinal UNIQUE (experiment_id, ordinal)
      )`);
    await queryRunner.query(`CREATE INDEX ix_experiment_configs_active ON experiment_configs (experiment_id) WHERE status = 'running'`);
    await queryRunner.query(`CREATE UNIQUE INDEX uq_experiment_configs_run ON experiment_configs (run_id) WHERE run_id IS NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS experiment_configs`);
    await queryRunner.query(`DROP TABLE IF EXISTS experiments`);
  }
}
