import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { DataSource, EntityManager } from 'typeorm';
import { BLOB_STORE, BlobNotFoundError, BlobStore } from '@yardstick/blob-store';
import {
  CacheMode, CreateRunRequest, DatasetItemRecord, ItemState, ItemStageState, RunStatus, ServiceErrorCode, ServiceException, Stage,
} from '@yardstick/contracts';
import { isUniqueViolation, postgresError } from '@yardstick/persistence';
import { ItemStageEntity } from '../stages/item-stage.entity';
import { EvaluationRunEntity } from './evaluation-run.entity';
import { RunItemEntity } from './run-item.entity';

const INSERT_CHUNK = 1_000;
const RUN_NAME_CONSTRAINT = 'uq_evaluation_runs_project_run_name';

/**
 * Creates a run with all its items and their first stage (pending) in one transaction, reading the
 * dataset's items from the blob store as a stream. When this returns the run is durable: the
 * dispatcher or, after a crash, the reconciler will start it.
 */
@Injectable()
export class RunCreationService {
  private readonly logger = new Logger(RunCreationService.name);

  constructor(
    private readonly dataSource: DataSource,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
  ) {}

  async create(request: CreateRunRequest, defaultFailureThreshold: number): Promise<string> {
    const runId = randomUUID();
    try {
      await this.dataSource.transaction(async (manager) => {
        await manager.insert(EvaluationRunEntity, {
          id: runId,
          projectId: request.projectId,
          runName: request.runName,
          runMode: request.runMode,
          status: RunStatus.Running,
          datasetId: request.dataset.id,
          configId: request.config.configId,
          configVersion: request.config.version,
          config: request.config,
          scorers: request.scorers,
          itemsTotal: request.dataset.totalItems,
          itemsSucceeded: 0,
          itemsFailed: 0,
          failureThreshold: request.failureThreshold ?? defaultFailureThreshold,
          scoreCount: 0,
          startedAt: new Date(),
          attempt: 1,
          cacheMode: request.cacheMode ?? CacheMode.ReadWrite,
          warnings: [],
        });
        const inserted = await this.insertItems(manager, runId, request);
        if (inserted !== request.dataset.totalItems) {
          throw new ServiceException(ServiceErrorCode.Unprocessable,
            `dataset ${request.dataset.id} has ${inserted} items, expected ${request.dataset.totalItems}`);
        }
      });
    } catch (error) {
      throw this.toServiceException(error, request);
    }
    return runId;
  }

  private async insertItems(manager: EntityManager, runId: string, request: CreateRunRequest): Promise<number> {
    let items: RunItemEntity[] = [];
    let count = 0;
    const flush = async () => {
      if (!items.length) return;
      await manager.insert(RunItemEntity, items);
      await manager.insert(ItemStageEntity, items.map((item) => ({
        itemId: item.id, stage: Stage.Responses, runId, projectId: request.projectId, state: ItemStageState.Pending, attempt: 0, costUsd: '0',
        cacheHit: false, savedTokens: 0, savedCostUsd: '0', retryBase: 0,
      })));
      items = [];
    };
    for await (const record of this.readItems(request.dataset.itemsBlobKey)) {
      items.push(Object.assign(new RunItemEntity(), {
        id: randomUUID(), runId, projectId: request.projectId, itemIndex: record.index, datasetItemId: record.id,
        replicate: record.replicate, category: record.category, question: record.question, groundTruth: record.answer,
        state: ItemState.InProgress, scores: {},
      }));
      count += 1;
      if (items.length >= INSERT_CHUNK) await flush();
    }
    await flush();
    return count;
  }

  private async *readItems(key: string): AsyncGenerator<DatasetItemRecord> {
    const lines = createInterface({ input: await this.blobs.getStream(key), crlfDelay: Infinity });
    for await (const line of lines) if (line.trim()) yield JSON.parse(line) as DatasetItemRecord;
  }

  private toServiceException(error: unknown, request: CreateRunRequest): Error {
    if (error instanceof ServiceException) return error;
    if (isUniqueViolation(error, RUN_NAME_CONSTRAINT)) {
      return new ServiceException(ServiceErrorCode.RunNameConflict, `a run named "${request.runName}" already exists in this project`, {
        run_name: request.runName,
      });
    }
    if (error instanceof BlobNotFoundError) {
      return new ServiceException(ServiceErrorCode.Unprocessable, `the items of dataset ${request.dataset.id} are missing from the blob store`);
    }
    const pg = postgresError(error);
    if (pg?.code.startsWith('23')) {
      this.logger.error(`integrity violation ${pg.code} (${pg.constraint ?? 'no constraint'}) creating run ${request.runName}`);
      return new ServiceException(ServiceErrorCode.IntegrityViolation, `the run could not be stored (integrity violation ${pg.code})`, {
        sqlstate: pg.code,
      });
    }
    return error as Error;
  }
}
