import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { DataSource } from 'typeorm';
import { BLOB_STORE, BlobStore } from '@yardstick/blob-store';
import {
  CacheMode, CreateExperimentRequest, DatasetItemRecord, ExperimentEstimate, ExperimentStatus, RunStatus, scorerSpecsProblems,
  ServiceErrorCode, ServiceException,
} from '@yardstick/contracts';
import { ExperimentLiveEvents } from '../live/experiment-live-events';
import { RunControlService } from '../runs/run-control.service';
import { DatasetStats, estimateRun, resolveConfig } from './experiment-config';
import { ExperimentEvents } from './experiment-events';
import { ExperimentLock } from './experiment-lock';
import { ExperimentRow } from './experiment-row';
import { ExperimentSettings } from './experiment-settings';
import { ExperimentsRepository } from './experiments.repository';
import { parseSpace } from './strategies/parameter-space';
import { configsTotal, plannedPoints } from './strategies/sweep-planner';
import { randomSample } from './strategies/random-sampler';
import { SweepDriver } from './sweep-driver';

/** What users do to experiments: create (with its estimate), start, pause, resume, stop. State lives in Postgres. */
@Injectable()
export class ExperimentsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly experiments: ExperimentsRepository,
    private readonly lock: ExperimentLock,
    private readonly events: ExperimentEvents,
    private readonly driver: SweepDriver,
    private readonly control: RunControlService,
    private readonly settings: ExperimentSettings,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
    private readonly live: ExperimentLiveEvents,
  ) {}

  async create(request: CreateExperimentRequest): Promise<string> {
    const dimensions = parseSpace(request.space);
    const problems = scorerSpecsProblems(request.scorers);
    if (problems.length) throw invalid('scorers', `invalid scorers: ${problems[0]}`);
    const prices = request.prices ?? {};
    for (const [model, price] of Object.entries(prices)) {
      if (!price || typeof price.input !== 'number' || typeof price.output !== 'number' || price.input < 0 || price.output < 0) {
        throw invalid(`prices.${model}`, 'needs input and output prices (USD per million tokens, >= 0)');
      }
    }
    const total = configsTotal(request.strategy, dimensions, this.settings.maxConfigs);
    const sample = plannedPoints(request.strategy, dimensions, this.settings.maxConfigs)
      ?? randomSample(dimensions, total, request.strategy.seed ?? 0);
    const stats = await this.datasetStats(request.dataset.itemsBlobKey);
    const estimates = sample.map((point) => estimateRun(resolveConfig(request.baseConfig, point), stats, prices));
    if (request.budget.maxCostUsd !== undefined) {
      const valuesOf = (name: string, fallback: string) => request.space.find((s) => s.name === name)?.values?.map(String) ?? [fallback];
      const models = [...valuesOf('model', request.baseConfig.model), ...valuesOf('embedding_model', request.baseConfig.embeddingModel)];
      const unpriced = models.find((model) => !prices[model]);
      if (unpriced) throw invalid(`prices.${unpriced}`, `a cost budget needs a price for every model; "${unpriced}" has none`);
    }
    const estimate: ExperimentEstimate = {
      configsTotal: total,
      itemsPerConfig: stats.items,
      tokens: estimates.reduce((sum, e) => sum + e.tokens, 0),
      costUsd: estimates.every((e) => e.costUsd !== null) ? estimates.reduce((sum, e) => sum + e.costUsd!, 0) : null,
      configsLimit: this.settings.maxConfigs,
    };
    const id = randomUUID();
    await this.experiments.insert({
      id, projectId: request.projectId, name: request.name, status: ExperimentStatus.Draft, dataset: request.dataset, datasetStats: stats,
      baseConfig: request.baseConfig, space: request.space, strategy: request.strategy, scorers: request.scorers, runMode: request.runMode,
      cacheMode: request.cacheMode ?? CacheMode.ReadWrite, budget: request.budget, prices, maxConcurrentRuns: request.maxConcurrentRuns,
      estimate, savedConfigId: request.savedConfigId ?? null,
    });
    return id;
  }

  async start(projectId: string, id: string): Promise<void> {
    await this.locked(projectId, id, async (experiment) => {
      await this.dataSource.transaction(async (manager) => {
        if (!(await this.experiments.transition(manager, id, [ExperimentStatus.Draft], ExperimentStatus.Running, null))) throw conflict('start', experiment);
        await this.events.started(manager, experiment);
      });
      await this.driver.advance(id);
    });
  }

  /** No new config starts and the runs under way pause (items already in flight finish and are recorded). */
  async pause(projectId: string, id: string): Promise<void> {
    await this.locked(projectId, id, async (experiment) => {
      await this.move(experiment, [ExperimentStatus.Running], ExperimentStatus.Paused, 'paused by a user', 'pause');
      await this.live.statusChanged(id, 'paused', 'paused by a user');
      await this.driver.eachRun(id, [RunStatus.Running], (runId) => this.control.pause(projectId, runId));
    });
  }

  async resume(projectId: string, id: string): Promise<void> {
    await this.locked(projectId, id, async (experiment) => {
      await this.move(experiment, [ExperimentStatus.Paused], ExperimentStatus.Running, null, 'resume');
      await this.live.statusChanged(id, 'resumed', null);
      await this.driver.eachRun(id, [RunStatus.Paused], (runId) => this.control.resume(projectId, runId));
      await this.driver.advance(id);
    });
  }

  /** Cancels the unfinished runs; finished configs keep their results and stay on the leaderboard. */
  async stop(projectId: string, id: string): Promise<void> {
    await this.locked(projectId, id, async (experiment) => {
      if (!(await this.driver.finish(experiment, ExperimentStatus.Stopped, 'stopped by a user'))) throw conflict('stop', experiment);
    });
  }

  private async move(experiment: ExperimentRow, from: ExperimentStatus[], to: ExperimentStatus, reason: string | null, action: string) {
    await this.dataSource.transaction(async (manager) => {
      if (!(await this.experiments.transition(manager, experiment.id, from, to, reason))) throw conflict(action, experiment);
    });
  }

  private async locked(projectId: string, id: string, work: (experiment: ExperimentRow) => Promise<void>): Promise<void> {
    await this.lock.withLock(id, async () => {
      const experiment = await this.experiments.find(id, projectId);
      if (!experiment) throw new ServiceException(ServiceErrorCode.NotFound, `experiment ${id} not found`);
      await work(experiment);
    });
  }

  private async datasetStats(itemsBlobKey: string): Promise<DatasetStats> {
    const stats: DatasetStats = { items: 0, questionChars: 0, answerChars: 0 };
    const lines = createInterface({ input: await this.blobs.getStream(itemsBlobKey), crlfDelay: Infinity });
    for await (const line of lines) {
      if (!line.trim()) continue;
      const record = JSON.parse(line) as DatasetItemRecord;
      stats.items += 1;
      stats.questionChars += record.question.length;
      stats.answerChars += record.answer.length;
    }
    return stats;
  }
}

function invalid(field: string, message: string): ServiceException {
  return new ServiceException(ServiceErrorCode.ValidationFailed, `${field}: ${message}`, { field });
}

function conflict(action: string, experiment: ExperimentRow): ServiceException {
  return new ServiceException(ServiceErrorCode.Conflict, `cannot ${action} an experiment that is ${experiment.status}`, { status: experiment.status });
}

