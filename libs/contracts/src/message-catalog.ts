import { EmbedTextsCommand, EmbeddingsComputedEvent } from './payloads/embeddings';
import { ItemStageFailedEvent } from './payloads/common';
import { GenerateResponseCommand, ResponseGeneratedEvent } from './payloads/responses';
import { RunFinishedEvent } from './payloads/runs';
import { ItemScoredEvent, PageScoredEvent, ScoreItemCommand, ScorePageCommand } from './payloads/scoring';
import { CreateRunRequest, GetRunRequest, ListRunItemsRequest, ListRunsRequest, Page, RunItemView, RunView } from './rpc/runs.rpc';
import {
  CompareRunsRequest, ExportPage, ExportQuestionsPage, ExportRunItemsRequest, RecordedHumanScore, RecordHumanScoreRequest, RunAggregatesView, RunComparisonView,
} from './rpc/results.rpc';
import {
  CacheStatsRequest, CacheStatsView, ClearCacheRequest, CreateProviderRequest, ListProvidersRequest, ProviderEndpointView, ProviderRequest,
  ProviderTestResult, UpdateProviderRequest,
} from './rpc/providers.rpc';
import {
  CreateWebhookRequest, ListWebhookDeliveriesRequest, ListWebhooksRequest, RedeliverWebhookDeliveryRequest, RedeliverWebhookRangeRequest,
  WebhookDeliveryView, WebhookRequest, WebhookSecretView, WebhookView,
} from './rpc/webhooks.rpc';
import { JudgeCompletionRequest, JudgeCompletionView } from './rpc/judge.rpc';
import {
  CancelledStageBatchView, CollectedStageBatchView, CollectStageBatchRequest, ProviderBatchView, StageBatchRequest, SubmitStageBatchRequest,
  SubmittedStageBatchView,
} from './rpc/batches.rpc';
import {
  ExperimentConfigCompletedEvent, ExperimentConfigStartedEvent, ExperimentFinishedEvent, ExperimentStartedEvent,
} from './payloads/experiments';
import {
  CreateExperimentRequest, ExperimentRequest, ExperimentView, LeaderboardView, ListExperimentsRequest,
} from './rpc/experiments.rpc';
import { RpcSubject, RpcSubjects, Subject, Subjects } from './subjects';

type PayloadClass<T> = new () => T;

/** One place that says which payload class and schema version travel on each subject. */
export const MessageCatalog = {
  [Subjects.GenerateResponse]: { schemaVersion: 1, payload: GenerateResponseCommand },
  [Subjects.EmbedTexts]: { schemaVersion: 1, payload: EmbedTextsCommand },
  [Subjects.ScoreItem]: { schemaVersion: 1, payload: ScoreItemCommand },
  [Subjects.ScorePage]: { schemaVersion: 1, payload: ScorePageCommand },
  [Subjects.ResponseGenerated]: { schemaVersion: 1, payload: ResponseGeneratedEvent },
  [Subjects.EmbeddingsComputed]: { schemaVersion: 1, payload: EmbeddingsComputedEvent },
  [Subjects.ItemScored]: { schemaVersion: 1, payload: ItemScoredEvent },
  [Subjects.PageScored]: { schemaVersion: 1, payload: PageScoredEvent },
  [Subjects.ItemStageFailed]: { schemaVersion: 1, payload: ItemStageFailedEvent },
  [Subjects.RunCompleted]: { schemaVersion: 1, payload: RunFinishedEvent },
  [Subjects.RunFailed]: { schemaVersion: 1, payload: RunFinishedEvent },
  [Subjects.RunCancelled]: { schemaVersion: 1, payload: RunFinishedEvent },
  [Subjects.ExperimentStarted]: { schemaVersion: 1, payload: ExperimentStartedEvent },
  [Subjects.ExperimentConfigStarted]: { schemaVersion: 1, payload: ExperimentConfigStartedEvent },
  [Subjects.ExperimentConfigCompleted]: { schemaVersion: 1, payload: ExperimentConfigCompletedEvent },
  [Subjects.ExperimentNewBest]: { schemaVersion: 1, payload: ExperimentConfigCompletedEvent },
  [Subjects.ExperimentCompleted]: { schemaVersion: 1, payload: ExperimentFinishedEvent },
  [Subjects.ExperimentStopped]: { schemaVersion: 1, payload: ExperimentFinishedEvent },
  [Subjects.ExperimentBudgetExhausted]: { schemaVersion: 1, payload: ExperimentFinishedEvent },
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
  [RpcSubjects.RunAggregates]: { request: GetRunRequest, reply: {} as RunAggregatesView },
  [RpcSubjects.RecordHumanScore]: { request: RecordHumanScoreRequest, reply: {} as RecordedHumanScore },
  [RpcSubjects.CompareRuns]: { request: CompareRunsRequest, reply: {} as RunComparisonView },
  [RpcSubjects.ExportRunItems]: { request: ExportRunItemsRequest, reply: {} as ExportPage },
  [RpcSubjects.ExportRunQuestions]: { request: ExportRunItemsRequest, reply: {} as ExportQuestionsPage },
  [RpcSubjects.CreateProvider]: { request: CreateProviderRequest, reply: {} as ProviderEndpointView },
  [RpcSubjects.UpdateProvider]: { request: UpdateProviderRequest, reply: {} as ProviderEndpointView },
  [RpcSubjects.GetProvider]: { request: ProviderRequest, reply: {} as ProviderEndpointView },
  [RpcSubjects.ListProviders]: { request: ListProvidersRequest, reply: {} as Page<ProviderEndpointView> },
  [RpcSubjects.DeleteProvider]: { request: ProviderRequest, reply: {} as { deleted: boolean } },
  [RpcSubjects.TestProvider]: { request: ProviderRequest, reply: {} as ProviderTestResult },
  [RpcSubjects.CacheStats]: { request: CacheStatsRequest, reply: {} as CacheStatsView },
  [RpcSubjects.ClearCache]: { request: ClearCacheRequest, reply: {} as { deleted: number } },
  [RpcSubjects.JudgeCompletion]: { request: JudgeCompletionRequest, reply: {} as JudgeCompletionView },
  [RpcSubjects.SubmitStageBatch]: { request: SubmitStageBatchRequest, reply: {} as SubmittedStageBatchView },
  [RpcSubjects.PollStageBatch]: { request: StageBatchRequest, reply: {} as ProviderBatchView },
  [RpcSubjects.CollectStageBatch]: { request: CollectStageBatchRequest, reply: {} as CollectedStageBatchView },
  [RpcSubjects.CancelStageBatch]: { request: StageBatchRequest, reply: {} as CancelledStageBatchView },
  [RpcSubjects.CreateExperiment]: { request: CreateExperimentRequest, reply: {} as ExperimentView },
  [RpcSubjects.GetExperiment]: { request: ExperimentRequest, reply: {} as ExperimentView },
  [RpcSubjects.ListExperiments]: { request: ListExperimentsRequest, reply: {} as Page<ExperimentView> },
  [RpcSubjects.StartExperiment]: { request: ExperimentRequest, reply: {} as ExperimentView },
  [RpcSubjects.PauseExperiment]: { request: ExperimentRequest, reply: {} as ExperimentView },
  [RpcSubjects.ResumeExperiment]: { request: ExperimentRequest, reply: {} as ExperimentView },
  [RpcSubjects.StopExperiment]: { request: ExperimentRequest, reply: {} as ExperimentView },
  [RpcSubjects.ExperimentLeaderboard]: { request: ExperimentRequest, reply: {} as LeaderboardView },
  [RpcSubjects.CreateWebhook]: { request: CreateWebhookRequest, reply: {} as WebhookSecretView },
  [RpcSubjects.ListWebhooks]: { request: ListWebhooksRequest, reply: {} as Page<WebhookView> },
  [RpcSubjects.GetWebhook]: { request: WebhookRequest, reply: {} as WebhookView },
  [RpcSubjects.DeleteWebhook]: { request: WebhookRequest, reply: {} as { deleted: true } },
  [RpcSubjects.EnableWebhook]: { request: WebhookRequest, reply: {} as WebhookView },
  [RpcSubjects.RotateWebhookSecret]: { request: WebhookRequest, reply: {} as WebhookSecretView },
  [RpcSubjects.ListWebhookDeliveries]: { request: ListWebhookDeliveriesRequest, reply: {} as Page<WebhookDeliveryView> },
  [RpcSubjects.RedeliverWebhookDelivery]: { request: RedeliverWebhookDeliveryRequest, reply: {} as WebhookDeliveryView },
  [RpcSubjects.RedeliverWebhookRange]: { request: RedeliverWebhookRangeRequest, reply: {} as { redelivered: number } },
} as const satisfies Record<RpcSubject, { request: PayloadClass<unknown>; reply: unknown }>;

export type RpcRequestOf<S extends RpcSubject> = InstanceType<(typeof RpcCatalog)[S]['request']>;
export type RpcReplyOf<S extends RpcSubject> = (typeof RpcCatalog)[S]['reply'];
