import { MigrationInterface, QueryRunner } from 'typeorm';

export class ResponseCache1732269800000 implements MigrationInterface {
  name = 'ResponseCache1732269800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TYPE cache_mode AS ENUM ('read_write', 'read_only', 'off')`);
    await queryRunner.query(`ALTER TABLE evaluation_runs ADD COLUMN cache_mode cache_mode NOT NULL DEFAULT 'read_write',
                             ADD COLUMN warnings jsonb NOT NULL DEFAULT '[]'`);
    await queryRunner.query(`ALTER TABLE item_stages ADD COLUMN cache_hit boolean NOT NULL DEFAULT false,
                             ADD COLUMN saved_tokens int NOT NULL DEFAULT 0,
                             ADD COLUMN saved_cost_usd numeric(20, 10) NOT NULL DEFAULT 0`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE item_stages DROP COLUMN cache_hit, DROP COLUMN saved_tokens, DROP COLUMN saved_cost_usd`);
    await queryRunner.query(`ALTER TABLE evaluation_runs DROP COLUMN cache_mode, DROP COLUMN warnings`);
    await queryRunner.query(`DROP TYPE cache_mode`);
  }
}
