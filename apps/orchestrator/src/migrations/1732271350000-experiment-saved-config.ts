import { MigrationInterface, QueryRunner } from 'typeorm';

export class ExperimentSavedConfig1732271350000 implements MigrationInterface {
  name = 'ExperimentSavedConfig1732271350000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // The gateway config (owned by the gateway) that keeps the experiment's configs as versions; null for older experiments.
    await queryRunner.query(`ALTER TABLE experiments ADD COLUMN saved_config_id uuid`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE experiments DROP COLUMN saved_config_id`);
  }
}
