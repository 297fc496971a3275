import { Injectable } from '@nestjs/common';
import { ExperimentView, Page, ServiceErrorCode, ServiceException } from '@yardstick/contracts';
import { ExperimentRow } from './experiment-row';
import { ExperimentsRepository } from './experiments.repository';

const iso = (date: Date | null) => (date ? new Date(date).toISOString() : null);

/** Experiments as the API shows them. */
@Injectable()
export class ExperimentViews {
  constructor(private readonly experiments: ExperimentsRepository) {}

  async get(projectId: string, id: string): Promise<ExperimentView> {
    const row = await this.experiments.find(id, projectId);
    if (!row) throw new ServiceException(ServiceErrorCode.NotFound, `experiment ${id} not found`);
    return this.present(row, true);
  }

  async list(projectId: string, limit: number, offset: number): Promise<Page<ExperimentView>> {
    const page = await this.experiments.list(projectId, limit, offset);
    return { ...page, items: await Promise.all(page.items.map((row) => this.present(row, false))) };
  }

  private async present(row: ExperimentRow, withConfigs: boolean): Promise<ExperimentView> {
    const spending = await this.experiments.spending(row.id);
    const configs = withConfigs ? await this.experiments.configs(row.id) : [];
    return {
      id: row.id, projectId: row.projectId, name: row.name, status: row.status, statusReason: row.statusReason, datasetId: row.dataset.id,
      baseConfig: row.baseConfig, space: row.space, strategy: row.strategy, scorers: row.scorers, runMode: row.runMode, budget: row.budget,
      maxConcurrentRuns: row.maxConcurrentRuns, estimate: row.estimate, savedConfigId: row.savedConfigId,
      spent: { costUsd: spending.spentCostUsd, tokens: spending.spentTokens },
      best: row.bestConfigId && row.bestScore !== null ? { configId: row.bestConfigId, score: row.bestScore } : null,
      configs: configs.map((c) => ({
        id: c.id, ordinal: c.ordinal, wave: c.wave, params: c.params, configHash: c.configHash, runId: c.runId,
        status: c.status === 'running' ? (c.runStatus ?? 'running') : c.status, score: c.score, costUsd: c.costUsd,
        reservedCostUsd: c.reservedCostUsd, reservedTokens: c.reservedTokens,
      })),
      createdAt: iso(row.createdAt)!, startedAt: iso(row.startedAt), finishedAt: iso(row.finishedAt),
    };
  }
}
