/** Lifecycle of an evaluation run. Stored in Postgres and returned by the API as is. */
export enum RunStatus {
  Running = 'running',
  /** Dispatch stopped by a user or by an error waiting would not fix (invalid key, no quota); results in flight are still recorded. */
  Paused = 'paused',
  Completed = 'completed',
  Failed = 'failed',
  Cancelled = 'cancelled',
}

export const TERMINAL_RUN_STATUSES: readonly RunStatus[] = [RunStatus.Completed, RunStatus.Failed, RunStatus.Cancelled];

/** How a run calls the provider: `fast` = synchronous calls; `batch` = the provider's Batch API. */
export enum RunMode {
  Fast = 'fast',
  Batch = 'batch',
}

/** The stages every item of a run passes through, in order. */
export enum Stage {
  Responses = 'responses',
  Embeddings = 'embeddings',
  Scoring = 'scoring',
}

export const STAGE_ORDER: readonly Stage[] = [Stage.Responses, Stage.Embeddings, Stage.Scoring];

/** State of one item in one stage (see docs/state-machine.md). */
export enum ItemStageState {
  Pending = 'pending',
  InFlight = 'in_flight',
  Succeeded = 'succeeded',
  FailedRetryable = 'failed_retryable',
  FailedPermanent = 'failed_permanent',
  Cancelled = 'cancelled',
}

/** Overall state of one item of a run, derived from its stages. */
export enum ItemState {
  InProgress = 'in_progress',
  Succeeded = 'succeeded',
  Failed = 'failed',
  Cancelled = 'cancelled',
}

/** Scorers a run can use; each one's config shape is in scorer-configs.ts. Values are a public contract: never renamed. */
export enum ScorerName {
  CosineSimilarity = 'cosine_similarity',
  ExactMatch = 'exact_match',
  Contains = 'contains',
  Keywords = 'keywords',
  Regex = 'regex',
  JsonValid = 'json_valid',
  JsonSchema = 'json_schema',
  Length = 'length',
  Markdown = 'markdown',
  LlmJudge = 'llm_judge',
}

/** How a run uses the shared response cache. */
export enum CacheMode {
  ReadWrite = 'read_write',
  ReadOnly = 'read_only',
  Off = 'off',
}

/** What kind of provider an endpoint is; all speak the OpenAI API. */
export enum ProviderKind {
  OpenAI = 'openai',
  AzureOpenAI = 'azure_openai',
  OpenAICompatible = 'openai_compatible',
}
