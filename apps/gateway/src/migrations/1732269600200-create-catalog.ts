import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateCatalog1732269600200 implements MigrationInterface {
  name = 'CreateCatalog1732269600200';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE datasets (
        id uuid PRIMARY KEY,
        project_id uuid NOT NULL,
        name text NOT NULL,
        original_items_count int NOT NULL,
        duplication_factor int NOT NULL CHECK (duplication_factor BETWEEN 1 AND 5),
        total_items_count int NOT NULL,
        original_file_key text NOT NULL,
        items_blob_key text NOT NULL,
        original_filename text,
        size_bytes bigint NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX ix_datasets_project_created ON datasets (project_id, created_at DESC)`);
    await queryRunner.query(`CREATE INDEX ix_datasets_project_total ON datasets (project_id, total_items_count)`);
    await queryRunner.query(`
      CREATE TABLE dataset_items (
        id uuid PRIMARY KEY,
        dataset_id uuid NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
        project_id uuid NOT NULL,
        row_number int NOT NULL,
        question text NOT NULL,
        answer text NOT NULL,
        category text,
        CONSTRAINT uq_dataset_items_dataset_row UNIQUE (dataset_id, row_number)
      )`);
    await queryRunner.query(`
      CREATE TABLE configs (
        id uuid PRIMARY KEY,
        project_id uuid NOT NULL,
        name text NOT NULL,
        latest_version int NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX ix_configs_project_created ON configs (project_id, created_at DESC)`);
    await queryRunner.query(`
      CREATE TABLE config_versions (
        config_id uuid NOT NULL REFERENCES configs (id) ON DELETE CASCADE,
        version int NOT NULL,
        project_id uuid NOT NULL,
        model text NOT NULL,
        instructions text,
        prompt_template text NOT NULL,
        params jsonb NOT NULL,
        embedding_model text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (config_id, version)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['config_versions', 'configs', 'dataset_items', 'datasets']) await queryRunner.query(`DROP TABLE ${table}`);
  }
}
