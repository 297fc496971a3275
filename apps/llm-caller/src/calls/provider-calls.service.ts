import { Injectable, Logger } from '@nestjs/common';
import { BusPublisher } from '@yardstick/bus';
import {
  CacheMode, EmbedTextsCommand, EmbeddingsComputedEvent, GenerateResponseCommand, ItemWorkRef, ResponseGeneratedEvent, ServiceErrorCode,
  ServiceException, Stage, StageError, Subjects,
} from '@yardstick/contracts';
import { CachedProvider, CallOutcome } from '../cache/cached-provider';
import { EndpointResolver, ResolvedEndpoint } from '../providers/endpoint.resolver';
import { classifyProviderError } from '../provider/provider-error.classifier';
import { InFlightCallLock } from './in-flight-call.lock';
import { ProviderResultRepository } from './provider-result.repository';

type StoredResponse = Omit<ResponseGeneratedEvent, keyof ItemWorkRef>;
const RECORD_RETRY_MS = 120_000;
type StoredEmbeddings = Omit<EmbeddingsComputedEvent, keyof ItemWorkRef>;

/**
 * Calls the provider at most once per item and stage: the result is recorded in Postgres before it is
 * published, and a redelivered command finds it there and publishes it again without calling.
 */
@Injectable()
export class ProviderCallsService {
  private readonly logger = new Logger(ProviderCallsService.name);
  private readonly unpricedModels = new Set<string>();

  constructor(
    private readonly endpoints: EndpointResolver,
    private readonly provider: CachedProvider,
    private readonly results: ProviderResultRepository,
    private readonly publisher: BusPublisher,
    private readonly lock: InFlightCallLock,
  ) {}

  async generateResponse(command: GenerateResponseCommand): Promise<void> {
    const step = command.step ?? 0;
    const result = await this.resultOrCall<StoredResponse>(command, Stage.Responses, async (endpoint) => {
      const outcome = await this.provider.generate(endpoint, {
        model: command.model, input: command.input, instructions: command.instructions, params: command.params,
        replicate: command.replicate ?? 1, cacheMode: command.cacheMode ?? CacheMode.ReadWrite, step,
      });
      this.warnIfUnpriced(endpoint, command.model);
      return { model: command.model, output: outcome.output, providerResponseId: outcome.providerResponseId, ...outcomeFields(outcome) };
    }, step);
    if (!result) return;
    await this.publisher.publish(Subjects.ResponseGenerated, { ...ref(command), ...result, step: step || undefined }, {
      messageId: `${command.itemId}:responses:${command.attempt}:result${step ? `:${step}` : ''}`, correlationId: command.runId,
    });
  }

  async embedTexts(command: EmbedTextsCommand): Promise<void> {
    const result = await this.resultOrCall<StoredEmbeddings>(command, Stage.Embeddings, async (endpoint) => {
      const outcome = await this.provider.embed(endpoint, command.model, command.texts.map((t) => t.text), command.cacheMode ?? CacheMode.ReadWrite);
      this.warnIfUnpriced(endpoint, command.model);
      return {
        model: command.model,
        vectors: command.texts.map((text, i) => ({ role: text.role, embedding: outcome.vectors[i] })),
        ...outcomeFields(outcome),
      };
    });
    if (!result) return;
    await this.publisher.publish(Subjects.EmbeddingsComputed, { ...ref(command), ...result }, {
      messageId: `${command.itemId}:embeddings:${command.attempt}:result`, correlationId: command.runId,
    });
  }

  /**
   * The recorded result of an item's stage, or the one `call` produces and records. Only one delivery at a time
   * calls the provider for an item's stage; another waits for it (the bus keeps its message alive meanwhile).
   * A failed call is published as a stage failure and returns null. `step` is the prompt-pipeline step (responses).
   */
  private async resultOrCall<T extends object>(
    command: GenerateResponseCommand | EmbedTextsCommand, stage: Stage, call: (endpoint: ResolvedEndpoint) => Promise<T>, step = 0,
  ): Promise<T | null> {
    // Lock first, then look: one ledger read on the common path (first delivery), still exact under races.
    const lockKey = `${command.itemId}:${stage}${step ? `:${step}` : ''}`;
    const release = await this.lock.acquireOrWait(lockKey, () => this.results.find<T>(command.itemId, stage, step));
    if (!release) return this.results.find<T>(command.itemId, stage, step);
    try {
      const recorded = await this.results.find<T>(command.itemId, stage, step);
      if (recorded) return recorded;
      let result: T;
      try {
        result = await call(await this.endpoints.resolve(command.projectId, command.endpointId));
      } catch (error) {
        await this.publishFailure(command, stage, failureOf(error));
        return null;
      }
      // The provider has answered (and billed): keep trying to record it rather than let a redelivery call again.
      return await this.recordPersistently<T>({
        itemId: command.itemId, stage, step, runId: command.runId, projectId: command.projectId, model: command.model,
        costUsd: String((result as { costUsd?: number }).costUsd ?? 0), result,
      });
    } finally {
      await release();
    }
  }

  /** Retries the ledger insert through a Postgres outage (up to RECORD_RETRY_MS); the bus heartbeats the message meanwhile. */
  private async recordPersistently<T extends object>(row: Parameters<ProviderResultRepository['recordOnce']>[0] & { result: T }): Promise<T> {
    const deadline = Date.now() + RECORD_RETRY_MS;
    for (let delay = 200; ; delay = Math.min(delay * 2, 5_000)) {
      try {
        return await this.results.recordOnce<T>(row);
      } catch (error) {
        if (Date.now() + delay > deadline) throw error;
        this.logger.warn(`recording the result of ${row.itemId}:${row.stage} failed, retrying in ${delay} ms: ${(error as Error).message}`);
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  private async publishFailure(command: ItemWorkRef, stage: Stage, error: StageError): Promise<void> {
    if (!error.retryable) this.logger.warn(`${stage} of item ${command.itemId} failed permanently: ${error.code} ${error.message}`);
    await this.publisher.publish(Subjects.ItemStageFailed, { ...ref(command), stage, error }, {
      messageId: `${command.itemId}:${stage}:${command.attempt}:failed`, correlationId: command.runId,
    });
  }

  private warnIfUnpriced(endpoint: ResolvedEndpoint, model: string): void {
    if (endpoint.prices.has(model) || this.unpricedModels.has(model)) return;
    this.unpricedModels.add(model);
    this.logger.warn(`no price for model "${model}": its calls are costed at 0 (set PRICE_TABLE_JSON or the endpoint's price_overrides)`);
  }
}

function failureOf(error: unknown): StageError {
  if (error instanceof ServiceException && error.code === ServiceErrorCode.NotFound) {
    return { code: 'provider_endpoint_not_found', message: error.message, retryable: false };
  }
  return classifyProviderError(error);
}

function outcomeFields(outcome: CallOutcome) {
  return {
    usage: outcome.usage, latencyMs: outcome.latencyMs, costUsd: outcome.costUsd, cacheHit: outcome.cacheHit,
    savedTokens: outcome.savedTokens, savedCostUsd: outcome.savedCostUsd, warnings: outcome.warnings.length ? outcome.warnings : undefined,
  };
}

function ref(command: ItemWorkRef): ItemWorkRef {
  return { runId: command.runId, projectId: command.projectId, itemId: command.itemId, attempt: command.attempt };
}
