import { MigrationInterface, QueryRunner } from 'typeorm';

/** One recorded provider result per item, stage and prompt-pipeline step (0 for single-stage configs). */
export class PipelineSteps1732270200100 implements MigrationInterface {
  name = 'PipelineSteps1732270200100';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE provider_results ADD COLUMN step int NOT NULL DEFAULT 0`);
    await queryRunner.query(`ALTER TABLE provider_results DROP CONSTRAINT provider_results_pkey`);
    await queryRunner.query(`ALTER TABLE provider_results ADD CONSTRAINT provider_results_pkey PRIMARY KEY (item_id, stage, step)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM provider_results WHERE step > 0`);
    await queryRunner.query(`ALTER TABLE provider_results DROP CONSTRAINT provider_results_pkey`);
    await queryRunner.query(`ALTER TABLE provider_results ADD CONSTRAINT provider_results_pkey PRIMARY KEY (item_id, stage)`);
    await queryRunner.query(`ALTER TABLE provider_results DROP COLUMN step`);
  }
}
