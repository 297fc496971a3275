import { RunStatus } from './enums';
import { ExperimentStatus } from './payloads/experiments';
import { LIVE_PREFIX } from './subjects';

/**
 * Live progress for API clients (Server-Sent Events), stored in stream `PROGRESS` so any gateway replica can replay it.
 * One subject per watched aggregate: the subject carries its id, so a reader filters on exactly one run or experiment.
 * These subjects are a public contract like `Subjects`: never rename them.
 */
export const LiveSubjects = {
  /** Everything a client watching one evaluation run sees: `progress.run.<runId>`. */
  run: (runId: string) => `${LIVE_PREFIX}.run.${runId}`,
  /** Everything a client watching one experiment sees: `progress.experiment.<experimentId>`. */
  experiment: (experimentId: string) => `${LIVE_PREFIX}.experiment.${experimentId}`,
} as const;

/** The SSE event name of each live event. */
export enum LiveEventType {
  /** A snapshot of the counts (throttled; a final one always precedes the terminal status). */
  Progress = 'progress',
  /** Items that reached a final state since the previous batch. */
  Items = 'items',
  /** The watched run (or experiment) changed status; a terminal status is the last event a reader needs. */
  Status = 'status',
  /** An experiment changed status (started, paused, resumed, or its terminal one: the last event a reader needs). */
  ExperimentStatus = 'experiment_status',
  /** A snapshot of an experiment's configs (planned, running, done) and spending. */
  ExperimentProgress = 'experiment_progress',
  /** One of an experiment's configs finished (its run ended): params, score, cost. */
  ConfigCompleted = 'config_completed',
  /** That config is the experiment's best so far. */
  NewBest = 'new_best',
}

export interface LiveProgressData {
  type: LiveEventType.Progress;
  runId: string;
  status: RunStatus;
  attempt: number;
  itemsTotal: number;
  itemsSucceeded: number;
  itemsFailed: number;
  itemsInProgress: number;
  score: { mean: number | null; count: number };
}

export interface LiveItemResult {
  itemId: string;
  itemIndex: number;
  replicate: number;
  state: 'succeeded' | 'failed';
  score: number | null;
}

export interface LiveItemsData {
  type: LiveEventType.Items;
  runId: string;
  items: LiveItemResult[];
}

export interface LiveStatusData {
  type: LiveEventType.Status;
  runId: string;
  status: RunStatus;
  attempt: number;
  /** Why: the pause reason, the run's error, or null. */
  reason: string | null;
  /** Final figures, present on a terminal status. */
  itemsTotal?: number;
  itemsSucceeded?: number;
  itemsFailed?: number;
  score?: { mean: number | null; std: number | null; count: number };
}

export interface LiveExperimentStatusData {
  type: LiveEventType.ExperimentStatus;
  experimentId: string;
  status: ExperimentStatus;
  /** What happened: started, paused, resumed, or the terminal status itself. */
  change: 'started' | 'paused' | 'resumed' | 'completed' | 'stopped' | 'budget_exhausted';
  reason: string | null;
  /** Final figures, present on a terminal status. */
  configsCompleted?: number;
  bestConfigId?: string | null;
  bestScore?: number | null;
  spentCostUsd?: number;
  spentTokens?: number;
}

export interface LiveExperimentProgressData {
  type: LiveEventType.ExperimentProgress;
  experimentId: string;
  status: ExperimentStatus;
  /** Configs the strategy plans (guided: at most), running, and done (their run ended). */
  configsPlanned: number;
  configsRunning: number;
  configsDone: number;
  spentCostUsd: number;
  spentTokens: number;
}

export interface LiveConfigCompletedData {
  type: LiveEventType.ConfigCompleted | LiveEventType.NewBest;
  experimentId: string;
  configId: string;
  runId: string;
  ordinal: number;
  params: Record<string, unknown>;
  runStatus: string;
  score: number | null;
  costUsd: number;
}

export type LiveEventData =
  | LiveProgressData | LiveItemsData | LiveStatusData | LiveExperimentStatusData | LiveExperimentProgressData | LiveConfigCompletedData;

/** Schema version of the live events' envelope data (`MessageEnvelope.schema_version`). */
export const LIVE_EVENT_SCHEMA_VERSION = 1;
