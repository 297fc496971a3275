import { EmbedTextsCommand, EmbeddingsComputedEvent } from './payloads/embeddings';
import { ItemStageFailedEvent } from './payloads/common';
import { GenerateResponseCommand, ResponseGeneratedEvent } from './payloads/responses';
import { RunFinishedEvent } from './payloads/runs';
import { ItemScoredEvent, ScoreItemCommand } from './payloads/scoring';
import { CreateRunRequest, GetRunRequest, ListRunItemsRequest, ListRunsRequest, Page, RunItemView, RunView } from './rpc/runs.rpc';
import {
  CacheStatsRequest, CacheStatsView, ClearCacheRequest, CreateProviderRequest, ListProvidersRequest, ProviderEndpointView, ProviderRequest,
  ProviderTestResult, UpdateProviderRequest,
} from './rpc/providers.rpc';
import { CreateWebhookRequest, ListWebhooksRequest, WebhookView } from './rpc/webhooks.rpc';
import { RpcSubject, RpcSubjects, Subject, Subjects } from './subjects';

type PayloadClass<T> = new () => T;

/** One place that says which payload class and schema version travel on each subject. */
export const MessageCatalog = {
  [Subjects.GenerateResponse]: { schemaVersion: 1, payload: GenerateResponseCommand },
  [Subjects.EmbedTexts]: { schemaVersion: 1, payload: EmbedTextsCommand },
  [Subjects.ScoreItem]: { schemaVersion: 1, payload: ScoreItemCommand },
  [Subjects.ResponseGenerated]: { schemaVersion: 1, payload: ResponseGeneratedEvent },
  [Subjects.EmbeddingsComputed]: { schemaVersion: 1, payload: EmbeddingsComputedEvent },
  [Subjects.ItemScored]: { schemaVersion: 1, payload: ItemScoredEvent },
  [Subjects.ItemStageFailed]: { schemaVersion: 1, payload: ItemStageFailedEvent },
  [Subjects.RunCompleted]: { schemaVersion: 1, payload: RunFinishedEvent },
  [Subjects.RunFailed]: { schemaVersion: 1, payload: RunFinishedEvent },
  [Subjects.RunCancelled]: { schemaVersion: 1, payload: RunFinishedEvent },
} as const satisfies Record<Subject, { schemaVersion: number; payload: PayloadClass<unknown> }>;

/** The payload type carried by a subject, so a handler's parameter type follows from its subject. */
export type PayloadOf<S extends Subject> = InstanceType<(typeof MessageCatalog)[S]['payload']>;

/** Request class and reply type for each request/reply subject. */
export const RpcCatalog = {
  [RpcSubjects.CreateRun]: { request: CreateRunRequest, reply: {} as RunView },
  [RpcSubjects.GetRun]: { request: GetRunRequest, reply: {} as RunView },
  [RpcSubjects.ListRuns]: { request: ListRunsRequest, reply: {} as Page<RunView> },
  [RpcSubjects.ListRunItems]: { request: ListRunItemsRequest, reply: {} as Page<RunItemView> },
  [RpcSubjects.CancelRun]: { request: GetRunRequest, reply: {} as RunView },
  [RpcSubjects.PauseRun]: { request: GetRunRequest, reply: {} as RunView },
  [RpcSubjects.ResumeRun]: { request: GetRunRequest, reply: {} as RunView },
  [RpcSubjects.RetryRun]: { request: GetRunRequest, reply: {} as RunView },
  [RpcSubjects.CreateProvider]: { request: CreateProviderRequest, reply: {} as ProviderEndpointView },
  [RpcSubjects.UpdateProvider]: { request: UpdateProviderRequest, reply: {} as ProviderEndpointView },
  [RpcSubjects.GetProvider]: { request: ProviderRequest, reply: {} as ProviderEndpointView },
  [RpcSubjects.ListProviders]: { request: ListProvidersRequest, reply: {} as Page<ProviderEndpointView> },
  [RpcSubjects.DeleteProvider]: { request: ProviderRequest, reply: {} as { deleted: boolean } },
  [RpcSubjects.TestProvider]: { request: ProviderRequest, reply: {} as ProviderTestResult },
  [RpcSubjects.CacheStats]: { request: CacheStatsRequest, reply: {} as CacheStatsView },
  [RpcSubjects.ClearCache]: { request: ClearCacheRequest, reply: {} as { deleted: number } },
  [RpcSubjects.CreateWebhook]: { request: CreateWebhookRequest, reply: {} as WebhookView },
  [RpcSubjects.ListWebhooks]: { request: ListWebhooksRequest, reply: {} as Page<WebhookView> },
} as const satisfies Record<RpcSubject, { request: PayloadClass<unknown>; reply: unknown }>;

export type RpcRequestOf<S extends RpcSubject> = InstanceType<(typeof RpcCatalog)[S]['request']>;
export type RpcReplyOf<S extends RpcSubject> = (typeof RpcCatalog)[S]['reply'];
