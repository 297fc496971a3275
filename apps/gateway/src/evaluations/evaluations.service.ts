import { HttpStatus, Injectable } from '@nestjs/common';
import { BusRpcClient } from '@yardstick/bus';
import { RpcSubjects, RunMode, RunView, ScorerName, ScorerSpec, scorerSpecsProblems } from '@yardstick/contracts';
import { ApiErrorCode, ApiException } from '../api/api.exception';
import { GatewayEnv } from '../config/gateway.env';
import { ConfigsService } from '../configs/configs.service';
import { DatasetsRepository } from '../datasets/datasets.repository';
import { CreateEvaluationBody } from './dto/create-evaluation.body';

@Injectable()
export class EvaluationsService {
  constructor(
    private readonly datasets: DatasetsRepository,
    private readonly configs: ConfigsService,
    private readonly rpc: BusRpcClient,
    private readonly env: GatewayEnv,
  ) {}

  /** Checks what the gateway owns (dataset, config version, mode limits), then asks the orchestrator to create the run. */
  async create(projectId: string, body: CreateEvaluationBody): Promise<RunView> {
    const scorers: ScorerSpec[] = (body.scorers ?? [{ name: ScorerName.CosineSimilarity, weight: 1 }])
      .map((s) => ({ name: s.name, weight: s.weight ?? 1, ...(s.config ? { config: s.config } : {}) }));
    const problems = scorerSpecsProblems(scorers);
    if (problems.length) {
      throw new ApiException(HttpStatus.BAD_REQUEST, ApiErrorCode.ValidationFailed, `invalid scorers: ${problems[0]}`, { problems });
    }
    const dataset = await this.datasets.find(projectId, body.dataset_id);
    if (!dataset) throw ApiException.notFound('dataset', body.dataset_id);
    const { version } = await this.configs.get(projectId, body.config_id, body.config_version);
    // Batch runs go through the provider's Batch API (or fast, throttled, when the endpoint has none): no size limit here.
    if (body.run_mode === RunMode.Fast && dataset.totalItemsCount > this.env.FAST_MODE_MAX_ITEMS) {
      throw new ApiException(HttpStatus.UNPROCESSABLE_ENTITY, ApiErrorCode.FastModeLimitExceeded,
        `fast mode runs at most ${this.env.FAST_MODE_MAX_ITEMS} items; dataset ${dataset.id} has ${dataset.totalItemsCount}`,
        { limit: this.env.FAST_MODE_MAX_ITEMS, total_items_count: dataset.totalItemsCount });
    }
    return this.rpc.request(RpcSubjects.CreateRun, {
      projectId,
      runName: body.run_name,
      runMode: body.run_mode,
      dataset: { id: dataset.id, name: dataset.name, itemsBlobKey: dataset.itemsBlobKey, totalItems: dataset.totalItemsCount },
      config: {
        configId: version.configId,
        version: version.version,
        model: version.model,
        instructions: version.instructions ?? undefined,
        promptTemplate: version.promptTemplate ?? undefined,
        pipeline: version.pipeline ?? undefined,
        params: version.params,
        embeddingModel: version.embeddingModel,
        providerEndpointId: version.providerEndpointId ?? undefined,
      },
      cacheMode: body.cache_mode,
      scorers,
      failureThreshold: body.failure_threshold,
    }, this.env.CREATE_RUN_TIMEOUT_MS);
  }
}
