import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateWebhooks1732960800000 implements MigrationInterface {
  name = 'CreateWebhooks1732960800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE webhook_subscriptions (
        id uuid PRIMARY KEY,
        project_id uuid NOT NULL,
        url text NOT NULL,
        events text[] NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX ix_webhook_subscriptions_project_created ON webhook_subscriptions (project_id, created_at DESC)`);
    await queryRunner.query(`CREATE TYPE webhook_delivery_status AS ENUM ('delivered', 'failed')`);
    // One row per subscription and event: the outcome of the latest attempt (a per-attempt log comes later).
    await queryRunner.query(`
      CREATE TABLE webhook_deliveries (
        id uuid PRIMARY KEY,
        subscription_id uuid NOT NULL,
        event_id text NOT NULL,
        subject text NOT NULL,
        status webhook_delivery_status NOT NULL,
        response_status int,
        error text,
        attempted_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT fk_webhook_deliveries_subscription FOREIGN KEY (subscription_id) REFERENCES webhook_subscriptions (id) ON DELETE CASCADE,
        CONSTRAINT uq_webhook_deliveries_subscription_event UNIQUE (subscription_id, event_id)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS webhook_deliveries`);
    await queryRunner.query(`DROP TYPE IF EXISTS webhook_delivery_status`);
    await queryRunner.query(`DROP TABLE IF EXISTS webhook_subscriptions`);
  }
}
