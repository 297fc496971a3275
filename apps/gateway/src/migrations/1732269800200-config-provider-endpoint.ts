import { MigrationInterface, QueryRunner } from 'typeorm';

export class ConfigProviderEndpoint1732269800200 implements MigrationInterface {
  name = 'ConfigProviderEndpoint1732269800200';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE config_versions ADD COLUMN provider_endpoint_id uuid`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE config_versions DROP COLUMN provider_endpoint_id`);
  }
}
