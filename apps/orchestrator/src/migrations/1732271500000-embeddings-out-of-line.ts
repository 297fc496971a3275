import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An item's output embedding (1 KB for 256 dimensions) is kept out of its run_items row (TOAST, uncompressed: floats do
 * not compress): the row is rewritten when the item is scored, and would otherwise copy the vector every time.
 */
export class EmbeddingsOutOfLine1732271500000 implements MigrationInterface {
  name = 'EmbeddingsOutOfLine1732271500000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE run_items ALTER COLUMN output_embedding SET STORAGE EXTERNAL`);
    await queryRunner.query(`ALTER TABLE run_items SET (toast_tuple_target = 256)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE run_items RESET (toast_tuple_target)`);
    await queryRunner.query(`ALTER TABLE run_items ALTER COLUMN output_embedding SET STORAGE EXTENDED`);
  }
}
