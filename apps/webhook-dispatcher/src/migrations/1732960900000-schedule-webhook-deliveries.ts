import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Deliveries scheduled from Postgres instead of riding JetStream redelivery: a delivery row holds the body and
 * when its next attempt is due (claimed with a lease), every attempt is logged in webhook_attempts, and
 * subscriptions get a sealed signing secret (plus the previous one during a rotation) and a disabled state.
 */
export class ScheduleWebhookDeliveries1732960900000 implements MigrationInterface {
  name = 'ScheduleWebhookDeliveries1732960900000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TYPE webhook_subscription_status AS ENUM ('active', 'disabled')`);
    // Subscriptions made before signing existed have no secret: they are sent unsigned until rotate-secret gives them one.
    await queryRunner.query(`
      ALTER TABLE webhook_subscriptions
        ADD COLUMN secret_sealed text,
        ADD COLUMN previous_secret_sealed text,
        ADD COLUMN previous_secret_expires_at timestamptz,
        ADD COLUMN status webhook_subscription_status NOT NULL DEFAULT 'active',
        ADD COLUMN disabled_reason text,
        ADD COLUMN disabled_at timestamptz,
        ADD COLUMN failing_since timestamptz`);

    await queryRunner.query(`
      CREATE TABLE webhook_attempts (
        id uuid PRIMARY KEY,
        delivery_id uuid NOT NULL,
        attempt int NOT NULL,
        started_at timestamptz NOT NULL,
        latency_ms int NOT NULL,
        response_status int,
        error text,
        delivered boolean NOT NULL,
        CONSTRAINT fk_webhook_attempts_delivery FOREIGN KEY (delivery_id) REFERENCES webhook_deliveries (id) ON DELETE CASCADE
      )`);
    await queryRunner.query(`CREATE INDEX ix_webhook_attempts_delivery ON webhook_attempts (delivery_id, attempt)`);
    // The outcome each delivery row held becomes its first logged attempt.
    await queryRunner.query(`
      INSERT INTO webhook_attempts (id, delivery_id, attempt, started_at, latency_ms, response_status, error, delivered)
      SELECT gen_random_uuid(), id, 1, attempted_at, 0, response_status, error, status = 'delivered' FROM webhook_deliveries`);

    // A new enum rather than ADD VALUE: a value added in this transaction could not be used by the index below.
    await queryRunner.query(`CREATE TYPE webhook_delivery_state AS ENUM ('pending', 'delivered', 'failed')`);
    await queryRunner.query(`ALTER TABLE webhook_deliveries ALTER COLUMN status TYPE webhook_delivery_state USING status::text::webhook_delivery_state`);
    await queryRunner.query(`DROP TYPE webhook_delivery_status`);
    await queryRunner.query(`
      ALTER TABLE webhook_deliveries
        ADD COLUMN body text,
        ADD COLUMN created_at timestamptz NOT NULL DEFAULT now(),
        ADD COLUMN attempt_count int NOT NULL DEFAULT 0,
        ADD COLUMN round_started_at timestamptz NOT NULL DEFAULT now(),
        ADD COLUMN round_attempts int NOT NULL DEFAULT 0,
        ADD COLUMN next_attempt_at timestamptz,
        ADD COLUMN lease_token uuid,
        ADD COLUMN lease_until timestamptz,
        ADD COLUMN delivered_at timestamptz`);
    await queryRunner.query(`
      UPDATE webhook_deliveries SET created_at = attempted_at, round_started_at = attempted_at, attempt_count = 1, round_attempts = 1,
        delivered_at = CASE WHEN status = 'delivered' THEN attempted_at END`);
    await queryRunner.query(`ALTER TABLE webhook_deliveries DROP COLUMN response_status, DROP COLUMN error, DROP COLUMN attempted_at`);
    await queryRunner.query(`CREATE INDEX ix_webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending'`);
    await queryRunner.query(`CREATE INDEX ix_webhook_deliveries_subscription_created ON webhook_deliveries (subscription_id, created_at DESC)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX IF EXISTS ix_webhook_deliveries_subscription_created`);
    await queryRunner.query(`DROP INDEX IF EXISTS ix_webhook_deliveries_due`);
    await queryRunner.query(`
      ALTER TABLE webhook_deliveries
        ADD COLUMN response_status int, ADD COLUMN error text, ADD COLUMN attempted_at timestamptz NOT NULL DEFAULT now()`);
    await queryRunner.query(`
      UPDATE webhook_deliveries d SET response_status = a.response_status, error = a.error, attempted_at = a.started_at
      FROM (SELECT DISTINCT ON (delivery_id) * FROM webhook_attempts ORDER BY delivery_id, attempt DESC) a WHERE a.delivery_id = d.id`);
    await queryRunner.query(`DELETE FROM webhook_deliveries WHERE status = 'pending'`);
    await queryRunner.query(`
      ALTER TABLE webhook_deliveries DROP COLUMN body, DROP COLUMN created_at, DROP COLUMN attempt_count, DROP COLUMN round_started_at,
        DROP COLUMN round_attempts, DROP COLUMN next_attempt_at, DROP COLUMN lease_token, DROP COLUMN lease_until, DROP COLUMN delivered_at`);
    await queryRunner.query(`CREATE TYPE webhook_delivery_status AS ENUM ('delivered', 'failed')`);
    await queryRunner.query(`ALTER TABLE webhook_deliveries ALTER COLUMN status TYPE webhook_delivery_status USING status::text::webhook_delivery_status`);
    await queryRunner.query(`DROP TYPE webhook_delivery_state`);
    await queryRunner.query(`DROP TABLE webhook_attempts`);
    await queryRunner.query(`
      ALTER TABLE webhook_subscriptions DROP COLUMN secret_sealed, DROP COLUMN previous_secret_sealed, DROP COLUMN previous_secret_expires_at,
        DROP COLUMN status, DROP COLUMN disabled_reason, DROP COLUMN disabled_at, DROP COLUMN failing_since`);
    await queryRunner.query(`DROP TYPE webhook_subscription_status`);
  }
}
