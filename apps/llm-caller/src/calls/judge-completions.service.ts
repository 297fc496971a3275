import { Injectable } from '@nestjs/common';
import {
  CacheMode, JudgeCompletionFailureDetails, JudgeCompletionRequest, JudgeCompletionView, ServiceErrorCode, ServiceException, Stage, StageError,
} from '@yardstick/contracts';
import { CachedProvider } from '../cache/cached-provider';
import { EndpointResolver } from '../providers/endpoint.resolver';
import { classifyProviderError } from '../provider/provider-error.classifier';
import { InFlightCallLock } from './in-flight-call.lock';
import { ProviderResultRepository } from './provider-result.repository';

/**
 * Judge completions for scorers, on the same path as responses: the shared cache, the endpoint's rate limits, the price table,
 * and the result ledger. The ledger key is the item and the scoring stage (a run lists llm_judge at most once, and it is the
 * only scorer that calls a model): a redelivered or retried ScoreItem gets the recorded answer back and pays nothing again.
 */
@Injectable()
export class JudgeCompletionsService {
  constructor(
    private readonly endpoints: EndpointResolver,
    private readonly provider: CachedProvider,
    private readonly results: ProviderResultRepository,
    private readonly lock: InFlightCallLock,
  ) {}

  /** The recorded judge completion of the item, or a new one, recorded. Throws a ServiceException carrying the classified StageError. */
  async complete(request: JudgeCompletionRequest): Promise<JudgeCompletionView> {
    const find = () => this.results.find<JudgeCompletionView>(request.itemId, Stage.Scoring);
    const release = await this.lock.acquireOrWait(`${request.itemId}:${Stage.Scoring}`, find);
    if (!release) return (await find()) as JudgeCompletionView;
    try {
      const recorded = await find();
      if (recorded) return recorded;
      const completion = await this.call(request);
      return await this.results.recordOnce<JudgeCompletionView>({
        itemId: request.itemId, stage: Stage.Scoring, step: 0, runId: request.runId, projectId: request.projectId, model: request.model,
        costUsd: String(completion.costUsd), result: completion,
      });
    } finally {
      await release();
    }
  }

  private async call(request: JudgeCompletionRequest): Promise<JudgeCompletionView> {
    try {
      const endpoint = await this.endpoints.resolve(request.projectId, request.endpointId);
      const outcome = await this.provider.generate(endpoint, {
        model: request.model, input: request.input, instructions: request.instructions, params: request.params,
        replicate: 1, cacheMode: request.cacheMode ?? CacheMode.ReadWrite,
      });
      return {
        output: outcome.output, usage: outcome.usage, latencyMs: outcome.latencyMs, costUsd: outcome.costUsd, cacheHit: outcome.cacheHit,
        savedTokens: outcome.savedTokens, savedCostUsd: outcome.savedCostUsd, ...(outcome.warnings.length ? { warnings: outcome.warnings } : {}),
      };
    } catch (error) {
      const stageError = failureOf(error);
      const details: JudgeCompletionFailureDetails = { stageError };
      throw new ServiceException(stageError.retryable ? ServiceErrorCode.Unavailable : ServiceErrorCode.Unprocessable, stageError.message, details);
    }
  }
}

function failureOf(error: unknown): StageError {
  if (error instanceof ServiceException && error.code === ServiceErrorCode.NotFound) {
    return { code: 'provider_endpoint_not_found', message: error.message, retryable: false };
  }
  return classifyProviderError(error);
}
