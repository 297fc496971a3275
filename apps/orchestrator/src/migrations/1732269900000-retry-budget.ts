import { MigrationInterface, QueryRunner } from 'typeorm';

export class RetryBudget1732269900000 implements MigrationInterface {
  name = 'RetryBudget1732269900000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Attempts before the last user retry: MAX_ATTEMPTS counts from here, so a retried item gets a fresh budget
    // while `attempt` keeps growing (it is part of every command's Nats-Msg-Id).
    await queryRunner.query(`ALTER TABLE item_stages ADD COLUMN retry_base int NOT NULL DEFAULT 0`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE item_stages DROP COLUMN retry_base`);
  }
}
