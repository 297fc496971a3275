import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { EntityManager } from 'typeorm';
import { BlobStore } from '@yardstick/blob-store';
import { DatasetItemRecord, ItemStageState, ItemState, Stage } from '@yardstick/contracts';

/** Items per pair of INSERTs: 100,000 items take 20 batches, each a few MB of parameters. */
const INSERT_BATCH = 5_000;

export interface RunItemsTarget {
  runId: string;
  projectId: string;
  /** Blob key of the dataset's normalized items (JSON lines of DatasetItemRecord). */
  itemsBlobKey: string;
  /** The stage every item starts in, pending. */
  firstStage: Stage;
}

/**
 * Copies a dataset's items into a run inside the caller's transaction: reads the items blob line by line
 * (never the whole dataset in memory, never over the bus) and inserts run_items and their first
 * item_stages in multi-row batches, one batch in flight while the next is read. Returns the item count.
 */
export async function loadRunItems(manager: EntityManager, blobs: BlobStore, target: RunItemsTarget): Promise<number> {
  let batch: DatasetItemRecord[] = [];
  let inserting: Promise<void> = Promise.resolve();
  let count = 0;
  const flush = async () => {
    await inserting;
    inserting = insertBatch(manager, target, batch);
    inserting.catch(() => undefined); // awaited before the next batch and at the end
    batch = [];
  };
  for await (const record of readItems(blobs, target.itemsBlobKey)) {
    batch.push(record);
    count += 1;
    if (batch.length >= INSERT_BATCH) await flush();
  }
  if (batch.length) await flush();
  await inserting;
  return count;
}

async function* readItems(blobs: BlobStore, key: string): AsyncGenerator<DatasetItemRecord> {
  const lines = createInterface({ input: await blobs.getStream(key), crlfDelay: Infinity });
  for await (const line of lines) if (line.trim()) yield JSON.parse(line) as DatasetItemRecord;
}

async function insertBatch(manager: EntityManager, target: RunItemsTarget, records: DatasetItemRecord[]): Promise<void> {
  const ids = records.map(() => randomUUID());
  // Columns not named here (output, scores, scorer_errors, ...) take their table defaults.
  await manager.query(
    `INSERT INTO run_items (id, run_id, project_id, item_index, dataset_item_id, replicate, category, question, ground_truth, state)
     SELECT id, $1, $2, item_index, dataset_item_id, replicate, category, question, ground_truth, $3::item_state
     FROM unnest($4::uuid[], $5::int[], $6::uuid[], $7::int[], $8::text[], $9::text[], $10::text[])
       AS t (id, item_index, dataset_item_id, replicate, category, question, ground_truth)`,
    [target.runId, target.projectId, ItemState.InProgress, ids, records.map((r) => r.index), records.map((r) => r.id),
      records.map((r) => r.replicate), records.map((r) => r.category ?? null), records.map((r) => r.question), records.map((r) => r.answer)],
  );
  await manager.query(
    `INSERT INTO item_stages (item_id, stage, run_id, project_id, state)
     SELECT id, $1::stage, $2, $3, $4::item_stage_state FROM unnest($5::uuid[]) AS t (id)`,
    [target.firstStage, target.runId, target.projectId, ItemStageState.Pending, ids],
  );
}
