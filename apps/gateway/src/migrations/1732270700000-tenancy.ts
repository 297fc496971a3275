import { MigrationInterface, QueryRunner } from 'typeorm';

export class Tenancy1732270700000 implements MigrationInterface {
  name = 'Tenancy1732270700000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE organizations (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_organizations_name UNIQUE (name)
      )`);
    await queryRunner.query(`
      CREATE TABLE projects (
        id uuid PRIMARY KEY,
        organization_id uuid NOT NULL REFERENCES organizations (id),
        name text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_projects_organization_name UNIQUE (organization_id, name)
      )`);
    // Only a SHA-256 of the key is kept: the key carries 256 random bits, so a slow password hash would add nothing.
    await queryRunner.query(`
      CREATE TABLE api_keys (
        id uuid PRIMARY KEY,
        project_id uuid NOT NULL REFERENCES projects (id),
        name text NOT NULL,
        prefix text NOT NULL,
        key_hash bytea NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz,
        revoked_at timestamptz,
        CONSTRAINT uq_api_keys_prefix UNIQUE (prefix)
      )`);
    await queryRunner.query(`CREATE INDEX ix_api_keys_project_created ON api_keys (project_id, created_at DESC)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE api_keys`);
    await queryRunner.query(`DROP TABLE projects`);
    await queryRunner.query(`DROP TABLE organizations`);
  }
}
