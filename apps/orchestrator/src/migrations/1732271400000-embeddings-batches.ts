import { MigrationInterface, QueryRunner } from 'typeorm';

/** Batch mode's embeddings batches: each is fed by one responses batch (docs/state-machine.md, "Batch mode"). */
export class EmbeddingsBatches1732271400000 implements MigrationInterface {
  name = 'EmbeddingsBatches1732271400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // The responses batch whose succeeded items this embeddings batch embeds; unique so a re-collection after a crash finds it.
    await queryRunner.query(`ALTER TABLE stage_batches ADD COLUMN source_batch_id uuid REFERENCES stage_batches (id) ON DELETE CASCADE`);
    await queryRunner.query(`CREATE UNIQUE INDEX uq_stage_batches_source ON stage_batches (source_batch_id) WHERE source_batch_id IS NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE stage_batches DROP COLUMN source_batch_id`);
  }
}
