import { Injectable, Logger } from '@nestjs/common';
import { BusPublisher, TransientHandlerError } from '@yardstick/bus';
import {
  EmbedTextsCommand, EmbeddingsComputedEvent, GenerateResponseCommand, ItemWorkRef, ResponseGeneratedEvent, Stage, StageError, Subjects,
} from '@yardstick/contracts';
import { LlmCallerEnv } from '../config/llm-caller.env';
import { PriceTable } from '../pricing/price-table';
import { ProviderClient } from '../provider/provider-client';
import { classifyProviderError } from '../provider/provider-error.classifier';
import { InFlightCallLock } from './in-flight-call.lock';
import { ProviderResultRepository } from './provider-result.repository';

type StoredResponse = Omit<ResponseGeneratedEvent, keyof ItemWorkRef>;
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
    private readonly provider: ProviderClient,
    private readonly results: ProviderResultRepository,
    private readonly publisher: BusPublisher,
    private readonly prices: PriceTable,
    private readonly lock: InFlightCallLock,
    private readonly env: LlmCallerEnv,
  ) {}

  /**
   * The recorded result of an item's stage, or the one `call` produces. Only one delivery at a time calls the
   * provider for an item's stage; another finds the lock taken and comes back later to find the result recorded.
   */
  private async resultOrCall<T>(command: ItemWorkRef, stage: Stage, call: () => Promise<T | null>): Promise<T | null> {
    const recorded = await this.results.find<T>(command.itemId, stage);
    if (recorded) return recorded;
    const release = await this.lock.acquire(`${command.itemId}:${stage}`, this.env.PROVIDER_TIMEOUT_MS + 5_000);
    if (!release) throw new TransientHandlerError(`another delivery is calling the provider for ${command.itemId}:${stage}`, 1_000);
    try {
      return (await this.results.find<T>(command.itemId, stage)) ?? (await call());
    } finally {
      await release();
    }
  }

  async generateResponse(command: GenerateResponseCommand): Promise<void> {
    const result = await this.resultOrCall<StoredResponse>(command, Stage.Responses, async () => {
      let generated;
      try {
        generated = await this.provider.generate(command.model, command.input, command.instructions, command.params);
      } catch (error) {
        await this.publishFailure(command, Stage.Responses, classifyProviderError(error));
        return null;
      }
      const costUsd = this.cost(command.model, generated.usage.inputTokens, generated.usage.outputTokens);
      return this.results.recordOnce<StoredResponse>({
        itemId: command.itemId, stage: Stage.Responses, runId: command.runId, projectId: command.projectId, model: command.model,
        costUsd: String(costUsd),
        result: {
          model: command.model, output: generated.output, usage: generated.usage, latencyMs: generated.latencyMs, costUsd,
          providerResponseId: generated.providerResponseId,
        },
      });
    });
    if (!result) return;
    await this.publisher.publish(Subjects.ResponseGenerated, { ...ref(command), ...result }, {
      messageId: `${command.itemId}:responses:${command.attempt}:result`, correlationId: command.runId,
    });
  }

  async embedTexts(command: EmbedTextsCommand): Promise<void> {
    const result = await this.resultOrCall<StoredEmbeddings>(command, Stage.Embeddings, async () => {
      let embedded;
      try {
        embedded = await this.provider.embed(command.model, command.texts.map((t) => t.text));
      } catch (error) {
        await this.publishFailure(command, Stage.Embeddings, classifyProviderError(error));
        return null;
      }
      const costUsd = this.cost(command.model, embedded.usage.inputTokens, 0);
      return this.results.recordOnce<StoredEmbeddings>({
        itemId: command.itemId, stage: Stage.Embeddings, runId: command.runId, projectId: command.projectId, model: command.model,
        costUsd: String(costUsd),
        result: {
          model: command.model,
          vectors: command.texts.map((text, i) => ({ role: text.role, embedding: embedded.vectors[i] })),
          usage: embedded.usage, latencyMs: embedded.latencyMs, costUsd,
        },
      });
    });
    if (!result) return;
    await this.publisher.publish(Subjects.EmbeddingsComputed, { ...ref(command), ...result }, {
      messageId: `${command.itemId}:embeddings:${command.attempt}:result`, correlationId: command.runId,
    });
  }

  private async publishFailure(command: ItemWorkRef, stage: Stage, error: StageError): Promise<void> {
    if (!error.retryable) this.logger.warn(`${stage} of item ${command.itemId} failed permanently: ${error.code} ${error.message}`);
    await this.publisher.publish(Subjects.ItemStageFailed, { ...ref(command), stage, error }, {
      messageId: `${command.itemId}:${stage}:${command.attempt}:failed`, correlationId: command.runId,
    });
  }

  private cost(model: string, inputTokens: number, outputTokens: number): number {
    if (!this.prices.has(model) && !this.unpricedModels.has(model)) {
      this.unpricedModels.add(model);
      this.logger.warn(`no price for model "${model}": its calls are costed at 0 (set PRICE_TABLE_JSON)`);
    }
    return this.prices.cost(model, inputTokens, outputTokens);
  }
}

function ref(command: ItemWorkRef): ItemWorkRef {
  return { runId: command.runId, projectId: command.projectId, itemId: command.itemId, attempt: command.attempt };
}
