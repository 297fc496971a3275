import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateProviderEndpoints1732269800100 implements MigrationInterface {
  name = 'CreateProviderEndpoints1732269800100';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TYPE provider_kind AS ENUM ('openai', 'azure_openai', 'openai_compatible')`);
    await queryRunner.query(`
      CREATE TABLE provider_endpoints (
        id uuid PRIMARY KEY,
        project_id uuid NOT NULL,
        name text NOT NULL,
        kind provider_kind NOT NULL,
        base_url text NOT NULL,
        api_key_sealed text,
        api_key_last4 text,
        azure_api_version text,
        default_headers jsonb NOT NULL DEFAULT '{}',
        supports_batch boolean NOT NULL DEFAULT false,
        rate_limits jsonb NOT NULL DEFAULT '{}',
        price_overrides jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_provider_endpoints_project_name UNIQUE (project_id, name)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE provider_endpoints`);
    await queryRunner.query(`DROP TYPE provider_kind`);
  }
}
