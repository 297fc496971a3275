import { MigrationInterface, QueryRunner } from 'typeorm';

export class ScorerErrors1732270300000 implements MigrationInterface {
  name = 'ScorerErrors1732270300000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Scorers that ran but had no score for the item (an unreadable llm_judge answer), by scorer: { code, message }.
    await queryRunner.query(`ALTER TABLE run_items ADD COLUMN scorer_errors jsonb NOT NULL DEFAULT '{}'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE run_items DROP COLUMN scorer_errors`);
  }
}
