import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BLOB_STORE, BlobStore } from '@yardstick/blob-store';
import { DatasetItemRecord } from '@yardstick/contracts';
import { ApiErrorCode, ApiException } from '../api/api.exception';
import { GatewayEnv } from '../config/gateway.env';
import { DatasetCsvError, DatasetCsvErrorCode } from './csv/dataset-csv.error';
import { DatasetEntity } from './dataset.entity';
import { DATASET_FILE_MEDIA_TYPE, datasetFileFormat, readDatasetRows } from './dataset-file-format';
import { DatasetsRepository, NewDatasetItem } from './datasets.repository';

/** Rows per INSERT: large enough that 100,000 rows take 20 statements, small enough to stay a few MB in memory. */
const INSERT_BATCH = 5_000;

/** The uploaded file as multer's disk storage leaves it. */
export interface UploadedDatasetFile {
  path: string;
  originalname: string;
  mimetype?: string;
  size: number;
}

/**
 * Stores an uploaded dataset (CSV or JSONL) all-or-nothing and in bounded memory: rows stream from the file
 * on disk into Postgres in multi-row batches inside one transaction, while the normalized items (one JSON
 * line per row and replicate) stream to a temp file; both blobs are written before the commit, and removed
 * again when anything fails, so a failed upload leaves no dataset behind. A stored dataset never changes.
 */
@Injectable()
export class DatasetsService {
  constructor(
    private readonly datasets: DatasetsRepository,
    private readonly env: GatewayEnv,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
  ) {}

  async upload(projectId: string, name: string, duplicationFactor: number, file: UploadedDatasetFile): Promise<DatasetEntity> {
    const id = randomUUID();
    const format = datasetFileFormat(file);
    const originalFileKey = `datasets/${id}/original.${format}`;
    const itemsBlobKey = `datasets/${id}/items.jsonl`;
    const itemsFile = join(tmpdir(), `yardstick-${id}.jsonl`);
    try {
      return await this.datasets.transaction(async (manager) => {
        await this.datasets.insertDataset(manager, {
          id, projectId, name, duplicationFactor, originalItemsCount: 0, totalItemsCount: 0, originalFileKey, itemsBlobKey,
          originalFilename: file.originalname || null, sizeBytes: String(file.size),
        });
        const out = createWriteStream(itemsFile);
        let batch: NewDatasetItem[] = [];
        // One batch is inserted while the next one is parsed; the connection runs them in order.
        let inserting: Promise<void> = Promise.resolve();
        const flush = async () => {
          await inserting;
          inserting = this.datasets.insertItems(manager, id, projectId, batch);
          inserting.catch(() => undefined); // awaited before the next batch and at the end
          batch = [];
        };
        let rows = 0;
        const limits = { maxBytes: this.env.DATASET_MAX_BYTES, maxRows: this.env.DATASET_MAX_ROWS };
        for await (const row of readDatasetRows(format, createReadStream(file.path), limits)) {
          const item = { id: randomUUID(), rowNumber: row.rowNumber, question: row.question, answer: row.answer, category: row.category };
          batch.push(item);
          for (let replicate = 1; replicate <= duplicationFactor; replicate += 1) {
            const record: DatasetItemRecord = {
              id: item.id, index: rows * duplicationFactor + replicate - 1, replicate, question: row.question, answer: row.answer, category: row.category,
            };
            if (!out.write(`${JSON.stringify(record)}\n`)) await once(out, 'drain');
          }
          rows += 1;
          if (batch.length >= INSERT_BATCH) await flush();
        }
        if (batch.length) await flush();
        await inserting;
        out.end();
        await once(out, 'finish');
        if (rows === 0) throw new DatasetCsvError(DatasetCsvErrorCode.HeaderOnly, 'the file has no data rows');

        await this.blobs.put(originalFileKey, createReadStream(file.path), { contentType: DATASET_FILE_MEDIA_TYPE[format] });
        await this.blobs.put(itemsBlobKey, createReadStream(itemsFile), { contentType: 'application/x-ndjson' });
        return this.datasets.complete(manager, id, rows, rows * duplicationFactor);
      });
    } catch (error) {
      await Promise.all([originalFileKey, itemsBlobKey].map((key) => this.blobs.delete(key).catch(() => undefined)));
      if (error instanceof DatasetCsvError) throw this.toApiException(error);
      throw error;
    } finally {
      await unlink(itemsFile).catch(() => undefined);
    }
  }

  private toApiException(error: DatasetCsvError): ApiException {
    const tooLarge = error.code === DatasetCsvErrorCode.TooLarge;
    return new ApiException(
      tooLarge ? HttpStatus.PAYLOAD_TOO_LARGE : HttpStatus.BAD_REQUEST,
      tooLarge ? ApiErrorCode.DatasetTooLarge : ApiErrorCode.InvalidDataset,
      error.message,
      { reason: error.code, row: error.row ?? null, line: error.line ?? null },
    );
  }
}
