import { DEAD_LETTER_PREFIX, LIVE_PREFIX, Subject, Subjects } from './subjects';

/** A JetStream stream. Names and subject filters are prefixed per deployment (see BUS_PREFIX). */
export interface StreamDefinition {
  name: string;
  subjects: string[];
  /** How long messages are kept; work messages are wake-ups, Postgres holds the truth. */
  maxAgeMs: number;
  /** Window inside which a repeated Nats-Msg-Id is dropped. */
  duplicateWindowMs: number;
}

const DAY = 24 * 60 * 60 * 1000;

export const Streams = {
  Commands: { name: 'CMD', subjects: ['cmd.>'], maxAgeMs: 7 * DAY, duplicateWindowMs: 2 * 60 * 1000 },
  Events: { name: 'EVENTS', subjects: ['eval.>'], maxAgeMs: 7 * DAY, duplicateWindowMs: 2 * 60 * 1000 },
  DeadLetters: { name: 'DLQ', subjects: [`${DEAD_LETTER_PREFIX}.>`], maxAgeMs: 30 * DAY, duplicateWindowMs: 2 * 60 * 1000 },
  /** Live progress for SSE clients (`progress.run.<id>`, `progress.experiment.<id>`): replayable for a day, then gone. */
  Progress: { name: 'PROGRESS', subjects: [`${LIVE_PREFIX}.>`], maxAgeMs: DAY, duplicateWindowMs: 2 * 60 * 1000 },
} as const satisfies Record<string, StreamDefinition>;

/**
 * A durable pull consumer. The numbers are chosen, not defaults:
 * - ackWaitMs: longer than one handler's normal work; handlers still heartbeat (`working()`) during long calls.
 * - maxDeliver: bounds redelivery of a message whose handler keeps failing; the last delivery is dead-lettered.
 * - maxAckPending: how many unacknowledged messages the consumer hands out across all replicas (backpressure).
 */
export interface ConsumerDefinition {
  durableName: string;
  stream: StreamDefinition;
  filterSubject: Subject;
  ackWaitMs: number;
  maxDeliver: number;
  maxAckPending: number;
}

export const Consumers = {
  LlmCallerGenerateResponse: {
    durableName: 'llm-caller-generate-response',
    stream: Streams.Commands,
    filterSubject: Subjects.GenerateResponse,
    ackWaitMs: 30_000,
    maxDeliver: 20,
    maxAckPending: 1024,
  },
  LlmCallerEmbedTexts: {
    durableName: 'llm-caller-embed-texts',
    stream: Streams.Commands,
    filterSubject: Subjects.EmbedTexts,
    ackWaitMs: 30_000,
    maxDeliver: 20,
    maxAckPending: 1024,
  },
  ScorerScoreItem: {
    durableName: 'scorer-score-item',
    stream: Streams.Commands,
    filterSubject: Subjects.ScoreItem,
    ackWaitMs: 30_000,
    maxDeliver: 20,
    maxAckPending: 1024,
  },
  /** A page is up to 1,000 items (an llm_judge's calls included): fewer at once, heartbeats cover the long ones. */
  ScorerScorePage: {
    durableName: 'scorer-score-page',
    stream: Streams.Commands,
    filterSubject: Subjects.ScorePage,
    ackWaitMs: 60_000,
    maxDeliver: 20,
    maxAckPending: 16,
  },
  OrchestratorResponseGenerated: {
    durableName: 'orchestrator-response-generated',
    stream: Streams.Events,
    filterSubject: Subjects.ResponseGenerated,
    ackWaitMs: 30_000,
    maxDeliver: 50,
    maxAckPending: 1024,
  },
  OrchestratorEmbeddingsComputed: {
    durableName: 'orchestrator-embeddings-computed',
    stream: Streams.Events,
    filterSubject: Subjects.EmbeddingsComputed,
    ackWaitMs: 30_000,
    maxDeliver: 50,
    maxAckPending: 1024,
  },
  OrchestratorItemScored: {
    durableName: 'orchestrator-item-scored',
    stream: Streams.Events,
    filterSubject: Subjects.ItemScored,
    ackWaitMs: 30_000,
    maxDeliver: 50,
    maxAckPending: 1024,
  },
  OrchestratorPageScored: {
    durableName: 'orchestrator-page-scored',
    stream: Streams.Events,
    filterSubject: Subjects.PageScored,
    ackWaitMs: 60_000,
    maxDeliver: 50,
    maxAckPending: 16,
  },
  OrchestratorItemStageFailed: {
    durableName: 'orchestrator-item-stage-failed',
    stream: Streams.Events,
    filterSubject: Subjects.ItemStageFailed,
    ackWaitMs: 30_000,
    maxDeliver: 50,
    maxAckPending: 1024,
  },
  WebhookDispatcherRunCompleted: {
    durableName: 'webhook-dispatcher-run-completed',
    stream: Streams.Events,
    filterSubject: Subjects.RunCompleted,
    ackWaitMs: 60_000,
    maxDeliver: 10,
    maxAckPending: 64,
  },
  WebhookDispatcherRunFailed: {
    durableName: 'webhook-dispatcher-run-failed',
    stream: Streams.Events,
    filterSubject: Subjects.RunFailed,
    ackWaitMs: 60_000,
    maxDeliver: 10,
    maxAckPending: 64,
  },
  WebhookDispatcherRunCancelled: {
    durableName: 'webhook-dispatcher-run-cancelled',
    stream: Streams.Events,
    filterSubject: Subjects.RunCancelled,
    ackWaitMs: 60_000,
    maxDeliver: 10,
    maxAckPending: 64,
  },
  /**
   * Experiment events, one consumer per subject like the run ones (the runner validates a message against its
   * consumer's subject): the handler only records deliveries, so the run consumers' numbers apply as they are.
   */
  WebhookDispatcherExperimentStarted: {
    durableName: 'webhook-dispatcher-experiment-started',
    stream: Streams.Events,
    filterSubject: Subjects.ExperimentStarted,
    ackWaitMs: 60_000,
    maxDeliver: 10,
    maxAckPending: 64,
  },
  WebhookDispatcherExperimentConfigStarted: {
    durableName: 'webhook-dispatcher-experiment-config-started',
    stream: Streams.Events,
    filterSubject: Subjects.ExperimentConfigStarted,
    ackWaitMs: 60_000,
    maxDeliver: 10,
    maxAckPending: 64,
  },
  WebhookDispatcherExperimentConfigCompleted: {
    durableName: 'webhook-dispatcher-experiment-config-completed',
    stream: Streams.Events,
    filterSubject: Subjects.ExperimentConfigCompleted,
    ackWaitMs: 60_000,
    maxDeliver: 10,
    maxAckPending: 64,
  },
  WebhookDispatcherExperimentNewBest: {
    durableName: 'webhook-dispatcher-experiment-new-best',
    stream: Streams.Events,
    filterSubject: Subjects.ExperimentNewBest,
    ackWaitMs: 60_000,
    maxDeliver: 10,
    maxAckPending: 64,
  },
  WebhookDispatcherExperimentCompleted: {
    durableName: 'webhook-dispatcher-experiment-completed',
    stream: Streams.Events,
    filterSubject: Subjects.ExperimentCompleted,
    ackWaitMs: 60_000,
    maxDeliver: 10,
    maxAckPending: 64,
  },
  WebhookDispatcherExperimentStopped: {
    durableName: 'webhook-dispatcher-experiment-stopped',
    stream: Streams.Events,
    filterSubject: Subjects.ExperimentStopped,
    ackWaitMs: 60_000,
    maxDeliver: 10,
    maxAckPending: 64,
  },
  WebhookDispatcherExperimentBudgetExhausted: {
    durableName: 'webhook-dispatcher-experiment-budget-exhausted',
    stream: Streams.Events,
    filterSubject: Subjects.ExperimentBudgetExhausted,
    ackWaitMs: 60_000,
    maxDeliver: 10,
    maxAckPending: 64,
  },
  /** The gateway saves each sampled experiment config as a version of the experiment's config (idempotent). */
  GatewayExperimentConfigStarted: {
    durableName: 'gateway-experiment-config-started',
    stream: Streams.Events,
    filterSubject: Subjects.ExperimentConfigStarted,
    ackWaitMs: 30_000,
    maxDeliver: 20,
    maxAckPending: 256,
  },
} as const satisfies Record<string, ConsumerDefinition>;
