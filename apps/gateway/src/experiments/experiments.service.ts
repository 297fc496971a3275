import { HttpStatus, Injectable } from '@nestjs/common';
import { BusRpcClient } from '@yardstick/bus';
import { ExperimentView, LeaderboardView, RpcSubjects, RunMode, ScorerName, ScorerSpec } from '@yardstick/contracts';
import { ApiErrorCode, ApiException } from '../api/api.exception';
import { GatewayEnv } from '../config/gateway.env';
import { ConfigsService } from '../configs/configs.service';
import { DatasetsRepository } from '../datasets/datasets.repository';
import { CreateExperimentBody } from './dto/create-experiment.body';
import { presentExperiment, presentLeaderboard, SavedConfigs } from './experiment.presenter';
import { SavedConfigsService } from './saved-configs.service';

/**
 * Checks what the gateway owns (dataset, base config version, mode limits), then asks the orchestrator to create the
 * experiment, together with the config that will keep its sampled configs as versions.
 */
@Injectable()
export class ExperimentsService {
  constructor(
    private readonly datasets: DatasetsRepository,
    private readonly configs: ConfigsService,
    private readonly rpc: BusRpcClient,
    private readonly env: GatewayEnv,
    private readonly saved: SavedConfigsService,
  ) {}

  async create(projectId: string, body: CreateExperimentBody): Promise<ExperimentView> {
    const scorers: ScorerSpec[] = (body.scorers ?? [{ name: ScorerName.CosineSimilarity, weight: 1 }])
      .map((s) => ({ name: s.name, weight: s.weight ?? 1, ...(s.config ? { config: s.config } : {}) }));
    const dataset = await this.datasets.find(projectId, body.dataset_id);
    if (!dataset) throw ApiException.notFound('dataset', body.dataset_id);
    const { version } = await this.configs.get(projectId, body.config_id, body.config_version);
    if (version.pipeline?.length) {
      throw new ApiException(HttpStatus.UNPROCESSABLE_ENTITY, ApiErrorCode.ValidationFailed,
        `config_id: experiments vary single-stage configs; version ${version.version} of config ${version.configId} is a pipeline`);
    }
    if (body.run_mode === RunMode.Batch) {
      throw new ApiException(HttpStatus.UNPROCESSABLE_ENTITY, ApiErrorCode.RunModeUnavailable,
        'run_mode "batch" is not available yet on this deployment; use "fast"');
    }
    if (dataset.totalItemsCount > this.env.FAST_MODE_MAX_ITEMS) {
      throw new ApiException(HttpStatus.UNPROCESSABLE_ENTITY, ApiErrorCode.FastModeLimitExceeded,
        `fast mode runs at most ${this.env.FAST_MODE_MAX_ITEMS} items; dataset ${dataset.id} has ${dataset.totalItemsCount}`,
        { limit: this.env.FAST_MODE_MAX_ITEMS, total_items_count: dataset.totalItemsCount });
    }
    const prices = Object.fromEntries(Object.entries(body.prices ?? {}).map(([model, p]) => [model, { input: p?.input, output: p?.output }]));
    return this.saved.createWith(projectId, body.name, version, (savedConfigId) => this.rpc.request(RpcSubjects.CreateExperiment, {
      projectId,
      savedConfigId,
      name: body.name,
      dataset: { id: dataset.id, name: dataset.name, itemsBlobKey: dataset.itemsBlobKey, totalItems: dataset.totalItemsCount },
      baseConfig: {
        configId: version.configId,
        version: version.version,
        model: version.model,
        instructions: version.instructions ?? undefined,
        promptTemplate: version.promptTemplate ?? undefined,
        params: version.params,
        embeddingModel: version.embeddingModel,
        providerEndpointId: version.providerEndpointId ?? undefined,
      },
      space: body.parameter_space.map((p) => ({ name: p.name, values: p.values, min: p.min, max: p.max, step: p.step, distribution: p.distribution })),
      strategy: {
        kind: body.strategy.kind, samples: body.strategy.samples, seed: body.strategy.seed, topK: body.strategy.top_k,
        exploreShare: body.strategy.explore_share, waveSize: body.strategy.wave_size, patienceWaves: body.strategy.patience_waves,
      },
      scorers,
      runMode: body.run_mode,
      cacheMode: body.cache_mode,
      budget: { maxCostUsd: body.budget?.max_cost_usd, maxTokens: body.budget?.max_tokens },
      prices: prices as Record<string, { input: number; output: number }>,
      maxConcurrentRuns: body.max_concurrent_runs,
    }, this.env.RPC_TIMEOUT_MS));
  }

  /** The experiment as the API shows it, each config with the version it was saved as (once the gateway has saved it). */
  async present(projectId: string, experiment: ExperimentView) {
    return presentExperiment(experiment, await this.saved.lookup(projectId, experiment.configs.map((c) => c.id)));
  }

  savedConfigs(projectId: string, experimentConfigIds: string[]): Promise<SavedConfigs> {
    return this.saved.lookup(projectId, experimentConfigIds);
  }

  async presentLeaderboard(projectId: string, board: LeaderboardView) {
    return presentLeaderboard(board, await this.saved.lookup(projectId, board.entries.map((e) => e.configId)));
  }
}
