import { MigrationInterface, QueryRunner } from 'typeorm';

export class RunControl1732269700000 implements MigrationInterface {
  name = 'RunControl1732269700000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TYPE run_status ADD VALUE IF NOT EXISTS 'paused' AFTER 'running'`);
    await queryRunner.query(`ALTER TABLE evaluation_runs ADD COLUMN paused_reason text, ADD COLUMN attempt int NOT NULL DEFAULT 1`);
    await queryRunner.query(`CREATE INDEX ix_item_stages_run_pending ON item_stages (run_id) WHERE state = 'pending'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX ix_item_stages_run_pending`);
    await queryRunner.query(`ALTER TABLE evaluation_runs DROP COLUMN paused_reason, DROP COLUMN attempt`);
    // Postgres cannot drop an enum value; 'paused' stays in run_status.
  }
}
