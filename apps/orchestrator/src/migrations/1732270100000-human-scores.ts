import { MigrationInterface, QueryRunner } from 'typeorm';

export class HumanScores1732270100000 implements MigrationInterface {
  name = 'HumanScores1732270100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // One score per rater per item: a repeated POST replaces it (see docs/results.md).
    await queryRunner.query(`
      CREATE TABLE human_scores (
        item_id uuid NOT NULL REFERENCES run_items (id) ON DELETE CASCADE,
        rater text NOT NULL,
        run_id uuid NOT NULL,
        project_id uuid NOT NULL,
        value double precision NOT NULL CONSTRAINT ck_human_scores_value CHECK (value >= 0 AND value <= 1),
        comment text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (item_id, rater)
      )`);
    await queryRunner.query(`CREATE INDEX ix_human_scores_run ON human_scores (run_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS human_scores`);
  }
}
