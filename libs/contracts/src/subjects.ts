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

  /** An item's response was generated and recorded by llm-caller. */
  ResponseGenerated: 'eval.item.response-generated',
  /** An item's texts were embedded by llm-caller. */
  EmbeddingsComputed: 'eval.item.embeddings-computed',
  /** An item was scored by the scorer. */
  ItemScored: 'eval.item.scored',
  /** A stage of an item failed (retryable or not). */
  ItemStageFailed: 'eval.item.stage-failed',
  /** A run finished with status `completed`. */
  RunCompleted: 'eval.run.completed',
  /** A run finished with status `failed`. */
  RunFailed: 'eval.run.failed',
  /** A run was cancelled by a user. */
  RunCancelled: 'eval.run.cancelled',
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
  CreateProvider: 'rpc.llm-caller.create-provider',
  UpdateProvider: 'rpc.llm-caller.update-provider',
  GetProvider: 'rpc.llm-caller.get-provider',
  ListProviders: 'rpc.llm-caller.list-providers',
  DeleteProvider: 'rpc.llm-caller.delete-provider',
  TestProvider: 'rpc.llm-caller.test-provider',
  CacheStats: 'rpc.llm-caller.cache-stats',
  ClearCache: 'rpc.llm-caller.clear-cache',
  CreateWebhook: 'rpc.webhook-dispatcher.create-webhook',
  ListWebhooks: 'rpc.webhook-dispatcher.list-webhooks',
} as const;

export type RpcSubject = (typeof RpcSubjects)[keyof typeof RpcSubjects];

/** Where a message that can never be handled is recorded: `dlq.<original subject>`. */
export const DEAD_LETTER_PREFIX = 'dlq';
