import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateProviderResults1732269600100 implements MigrationInterface {
  name = 'CreateProviderResults1732269600100';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TYPE stage AS ENUM ('responses', 'embeddings', 'scoring')`);
    await queryRunner.query(`
      CREATE TABLE provider_results (
        item_id uuid NOT NULL,
        stage stage NOT NULL,
        run_id uuid NOT NULL,
        project_id uuid NOT NULL,
        model text NOT NULL,
        result jsonb NOT NULL,
        cost_usd numeric(20, 10) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (item_id, stage)
      )`);
    await queryRunner.query(`CREATE INDEX ix_provider_results_run ON provider_results (run_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE provider_results`);
    await queryRunner.query(`DROP TYPE stage`);
  }
}
