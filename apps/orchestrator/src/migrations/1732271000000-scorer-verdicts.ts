import { MigrationInterface, QueryRunner } from 'typeorm';

export class ScorerVerdicts1732271000000 implements MigrationInterface {
  name = 'ScorerVerdicts1732271000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // The scorers' pass/fail verdicts, by scorer ({ <scorer>: true | false }), for scorers that give one: the pass rates.
    await queryRunner.query(`ALTER TABLE run_items ADD COLUMN verdicts jsonb NOT NULL DEFAULT '{}'`);
    // The export grouped per question reads a question's replicates (and finds its first one) by this index.
    await queryRunner.query(`CREATE INDEX ix_run_items_run_dataset_item ON run_items (run_id, dataset_item_id, item_index)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX ix_run_items_run_dataset_item`);
    await queryRunner.query(`ALTER TABLE run_items DROP COLUMN verdicts`);
  }
}
