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
import { DatasetCsvError, DatasetCsvErrorCode, readDatasetCsv } from './csv/dataset-csv.reader';
import { DatasetEntity } from './dataset.entity';
import { DatasetItemEntity } from './dataset-item.entity';
import { DatasetsRepository } from './datasets.repository';

const INSERT_CHUNK = 1_000;

export interface UploadedCsv {
  path: string;
  originalname: string;
  size: number;
}

/**
 * Stores an uploaded dataset all-or-nothing: rows are streamed from the file into Postgres inside one
 * transaction while the normalized items (one JSON line per row and replicate) stream to a temp file;
 * both blobs are written before the commit, so a failure anywhere leaves no dataset behind.
 */
@Injectable()
export class DatasetsService {
  constructor(
    private readonly datasets: DatasetsRepository,
    private readonly env: GatewayEnv,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
  ) {}

  async upload(projectId: string, name: string, duplicationFactor: number, file: UploadedCsv): Promise<DatasetEntity> {
    const id = randomUUID();
    const itemsFile = join(tmpdir(), `yardstick-${id}.jsonl`);
    try {
      return await this.datasets.transaction(async (manager) => {
        const dataset = manager.create(DatasetEntity, {
          id, projectId, name, duplicationFactor, originalItemsCount: 0, totalItemsCount: 0,
          originalFileKey: `datasets/${id}/original.csv`, itemsBlobKey: `datasets/${id}/items.jsonl`,
          originalFilename: file.originalname || null, sizeBytes: String(file.size),
        });
        await manager.insert(DatasetEntity, dataset);
        const out = createWriteStream(itemsFile);
        let pending: DatasetItemEntity[] = [];
        let rows = 0;
        for await (const row of readDatasetCsv(createReadStream(file.path), { maxBytes: this.env.DATASET_MAX_BYTES, maxRows: this.env.DATASET_MAX_ROWS })) {
          const item = manager.create(DatasetItemEntity, {
            id: randomUUID(), datasetId: id, projectId, rowNumber: row.rowNumber, question: row.question, answer: row.answer, category: row.category,
          });
          pending.push(item);
          for (let replicate = 1; replicate <= duplicationFactor; replicate += 1) {
            const record: DatasetItemRecord = {
              id: item.id, index: rows * duplicationFactor + replicate - 1, replicate, question: row.question, answer: row.answer, category: row.category,
            };
            if (!out.write(`${JSON.stringify(record)}\n`)) await once(out, 'drain');
          }
          rows += 1;
          if (pending.length >= INSERT_CHUNK) {
            await this.datasets.insertItems(manager, pending);
            pending = [];
          }
        }
        if (pending.length) await this.datasets.insertItems(manager, pending);
        out.end();
        await once(out, 'finish');
        if (rows === 0) throw new DatasetCsvError(DatasetCsvErrorCode.HeaderOnly, 'the file has no data rows');

        await this.blobs.put(dataset.originalFileKey, createReadStream(file.path), { contentType: 'text/csv' });
        await this.blobs.put(dataset.itemsBlobKey, createReadStream(itemsFile), { contentType: 'application/x-ndjson' });
        await manager.update(DatasetEntity, { id }, { originalItemsCount: rows, totalItemsCount: rows * duplicationFactor });
        return manager.findOneByOrFail(DatasetEntity, { id });
      });
    } catch (error) {
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
