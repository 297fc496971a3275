import { MigrationInterface, QueryRunner } from 'typeorm';

export class ConfigPipelines1732270200000 implements MigrationInterface {
  name = 'ConfigPipelines1732270200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // A pipeline version keeps its templates in `pipeline` (ordered stages) and has no single prompt_template.
    await queryRunner.query(`ALTER TABLE config_versions ALTER COLUMN prompt_template DROP NOT NULL`);
    await queryRunner.query(`ALTER TABLE config_versions ADD COLUMN pipeline jsonb`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE config_versions DROP COLUMN pipeline`);
    await queryRunner.query(`DELETE FROM config_versions WHERE prompt_template IS NULL`);
    await queryRunner.query(`ALTER TABLE config_versions ALTER COLUMN prompt_template SET NOT NULL`);
  }
}
