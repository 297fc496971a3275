import { MigrationInterface, QueryRunner } from 'typeorm';

export class ExperimentConfigVersions1732271350000 implements MigrationInterface {
  name = 'ExperimentConfigVersions1732271350000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // The experiment config (the orchestrator's experiment_configs.id) a version was saved from; null for versions users made.
    await queryRunner.query(`ALTER TABLE config_versions ADD COLUMN experiment_config_id uuid`);
    // An experiment config is saved once: a redelivered eval.experiment.config_started finds its version instead of adding one.
    await queryRunner.query(`
      CREATE UNIQUE INDEX uq_config_versions_experiment_config ON config_versions (experiment_config_id)
      WHERE experiment_config_id IS NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX uq_config_versions_experiment_config`);
    await queryRunner.query(`ALTER TABLE config_versions DROP COLUMN experiment_config_id`);
  }
}
