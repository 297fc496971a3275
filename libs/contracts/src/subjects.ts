/**
 * Subject names are a public contract between services: never rename one.
 * A breaking payload change is a new payload class and a new subject (suffix `.v2`).
 * Events: `eval.<aggregate>.<past-tense>`; commands: `cmd.<service>.<verb>`; request/reply: `rpc.<service>.<verb>`.
 */
export const Subjects = {
  /** llm-caller: generate one item's response with the run's model and prompt. */
  GenerateResponse: 'cmd.llm-caller.generate-response',
  /** llm-caller: embed one item's output (and its ground truth when not yet embedded). */
  EmbedTexts: 'cmd.llm-caller.embed-texts',
  /** scorer: score one item. */
  ScoreItem: 'cmd.scorer.score-item',
  /** scorer: score a page of items whose inputs are in a blob (batch mode: a page of an embeddings batch's results). */
  ScorePage: 'cmd.scorer.score-page',

  /** An item's response was generated and recorded by llm-caller. */
  ResponseGenerated: 'eval.item.response-generated',
  /** An item's texts were embedded by llm-caller. */
  EmbeddingsComputed: 'eval.item.embeddings-computed',
  /** An item was scored by the scorer. */
  ItemScored: 'eval.item.scored',
  /** A page of items was scored by the scorer: their results are in a blob. */
  PageScored: 'eval.score-page.scored',
  /** A stage of an item failed (retryable or not). */
  ItemStageFailed: 'eval.item.stage-failed',
  /** A run finished with status `completed`. */
  RunCompleted: 'eval.run.completed',
  /** A run finished with status `failed`. */
  RunFailed: 'eval.run.failed',
  /** A run was cancelled by a user. */
  RunCancelled: 'eval.run.cancelled',
  /** An experiment (sweep) was started. */
  ExperimentStarted: 'eval.experiment.started',
  /** A config of an experiment was sampled and its run created (the gateway saves it as a config version). */
  ExperimentConfigStarted: 'eval.experiment.config_started',
  /** One config of an experiment finished its run, with its score. */
  ExperimentConfigCompleted: 'eval.experiment.config_completed',
  /** A config finished with the best score of its experiment so far. */
  ExperimentNewBest: 'eval.experiment.new_best',
  /** An experiment ran every config its strategy proposed. */
  ExperimentCompleted: 'eval.experiment.completed',
  /** An experiment was stopped by a user. */
  ExperimentStopped: 'eval.experiment.stopped',
  /** An experiment stopped because its budget (cost or tokens) was reached. */
  ExperimentBudgetExhausted: 'eval.experiment.budget_exhausted',
} as const;

export type Subject = (typeof Subjects)[keyof typeof Subjects];

/** Request/reply subjects (core NATS, queue groups): synchronous queries and commands that need an answer now. */
export const RpcSubjects = {
  CreateRun: 'rpc.orchestrator.create-run',
  GetRun: 'rpc.orchestrator.get-run',
  ListRuns: 'rpc.orchestrator.list-runs',
  ListRunItems: 'rpc.orchestrator.list-run-items',
  CancelRun: 'rpc.orchestrator.cancel-run',
  PauseRun: 'rpc.orchestrator.pause-run',
  ResumeRun: 'rpc.orchestrator.resume-run',
  RetryRun: 'rpc.orchestrator.retry-run',
  /** Run results (docs/results.md): aggregates, human scores, comparison of two runs, export pages. */
  RunAggregates: 'rpc.orchestrator.run-aggregates',
  RecordHumanScore: 'rpc.orchestrator.record-human-score',
  CompareRuns: 'rpc.orchestrator.compare-runs',
  ExportRunItems: 'rpc.orchestrator.export-run-items',
  /** The export grouped per question (dataset row): its replicates' statistics and outputs, page by page. */
  ExportRunQuestions: 'rpc.orchestrator.export-run-questions',
  CreateProvider: 'rpc.llm-caller.create-provider',
  UpdateProvider: 'rpc.llm-caller.update-provider',
  GetProvider: 'rpc.llm-caller.get-provider',
  ListProviders: 'rpc.llm-caller.list-providers',
  DeleteProvider: 'rpc.llm-caller.delete-provider',
  TestProvider: 'rpc.llm-caller.test-provider',
  CacheStats: 'rpc.llm-caller.cache-stats',
  ClearCache: 'rpc.llm-caller.clear-cache',
  /** scorer -> llm-caller: one judge completion for an item's llm_judge scorer. */
  JudgeCompletion: 'rpc.llm-caller.judge-completion',
  /** Batch mode: submit, poll and collect one stage batch through the provider's Batch API. */
  SubmitStageBatch: 'rpc.llm-caller.submit-stage-batch',
  PollStageBatch: 'rpc.llm-caller.poll-stage-batch',
  CollectStageBatch: 'rpc.llm-caller.collect-stage-batch',
  /** A run that ended stops its provider batch still running, so it is not billed further. */
  CancelStageBatch: 'rpc.llm-caller.cancel-stage-batch',
  CreateExperiment: 'rpc.orchestrator.create-experiment',
  GetExperiment: 'rpc.orchestrator.get-experiment',
  ListExperiments: 'rpc.orchestrator.list-experiments',
  StartExperiment: 'rpc.orchestrator.start-experiment',
  PauseExperiment: 'rpc.orchestrator.pause-experiment',
  ResumeExperiment: 'rpc.orchestrator.resume-experiment',
  StopExperiment: 'rpc.orchestrator.stop-experiment',
  ExperimentLeaderboard: 'rpc.orchestrator.experiment-leaderboard',
  CreateWebhook: 'rpc.webhook-dispatcher.create-webhook',
  ListWebhooks: 'rpc.webhook-dispatcher.list-webhooks',
  GetWebhook: 'rpc.webhook-dispatcher.get-webhook',
  DeleteWebhook: 'rpc.webhook-dispatcher.delete-webhook',
  /** Turns a disabled subscription back on; deliveries resume from new events on. */
  EnableWebhook: 'rpc.webhook-dispatcher.enable-webhook',
  RotateWebhookSecret: 'rpc.webhook-dispatcher.rotate-webhook-secret',
  ListWebhookDeliveries: 'rpc.webhook-dispatcher.list-webhook-deliveries',
  RedeliverWebhookDelivery: 'rpc.webhook-dispatcher.redeliver-webhook-delivery',
  RedeliverWebhookRange: 'rpc.webhook-dispatcher.redeliver-webhook-range',
} as const;

export type RpcSubject = (typeof RpcSubjects)[keyof typeof RpcSubjects];

/** Where a message that can never be handled is recorded: `dlq.<original subject>`. */
export const DEAD_LETTER_PREFIX = 'dlq';

/** Live progress subjects (`LiveSubjects`) start with this; stream `PROGRESS` holds them. */
export const LIVE_PREFIX = 'progress';
