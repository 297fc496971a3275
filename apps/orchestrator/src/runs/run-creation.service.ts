import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { BLOB_STORE, BlobNotFoundError, BlobStore } from '@yardstick/blob-store';
import {
  CacheMode, CreateRunRequest, RunStatus, ServiceErrorCode, ServiceException, Stage,
} from '@yardstick/contracts';
import { isUniqueViolation, postgresError } from '@yardstick/persistence';
import { RunLiveEvents } from '../live/run-live-events';
import { EvaluationRunEntity } from './evaluation-run.entity';
import { loadRunItems } from './run-items.loader';

const RUN_NAME_CONSTRAINT = 'uq_evaluation_runs_project_run_name';

/**
 * Creates a run with all its items and their first stage (pending) in one transaction, reading the
 * dataset's items from the blob store as a stream (see loadRunItems). When this returns the run is durable: the
 * dispatcher or, after a crash, the reconciler will start it.
 */
@Injectable()
export class RunCreationService {
  private readonly logger = new Logger(RunCreationService.name);

  constructor(
    private readonly dataSource: DataSource,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
    private readonly live: RunLiveEvents,
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
        const inserted = await loadRunItems(manager, this.blobs, {
          runId, projectId: request.projectId, itemsBlobKey: request.dataset.itemsBlobKey, firstStage: Stage.Responses,
        });
        if (inserted !== request.dataset.totalItems) {
          throw new ServiceException(ServiceErrorCode.Unprocessable,
            `dataset ${request.dataset.id} has ${inserted} items, expected ${request.dataset.totalItems}`);
        }
      });
    } catch (error) {
      throw this.toServiceException(error, request);
    }
    await this.live.statusChanged(runId, RunStatus.Running, null, 'created');
    return runId;
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
