import { MigrationInterface, QueryRunner } from 'typeorm';

export class PipelineSteps1732270200000 implements MigrationInterface {
  name = 'PipelineSteps1732270200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // The responses stage runs the config's prompt pipeline one step at a time: `step` is the step under way (or
    // last done), `step_outputs` one entry per finished step (name, model, output, tokens, cost, latency, cache hit).
    await queryRunner.query(`ALTER TABLE item_stages ADD COLUMN step int NOT NULL DEFAULT 0`);
    await queryRunner.query(`ALTER TABLE item_stages ADD COLUMN step_outputs jsonb NOT NULL DEFAULT '[]'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE item_stages DROP COLUMN step_outputs`);
    await queryRunner.query(`ALTER TABLE item_stages DROP COLUMN step`);
  }
}
