import {
  CacheMode, ExperimentBudget, ExperimentEstimate, ExperimentStatus, ModelPriceSpec, ParameterPoint, ParameterSpec, RunConfigSnapshot,
  RunDatasetRef, RunMode, ScorerSpec, StrategySpec,
} from '@yardstick/contracts';
import { DatasetStats } from './experiment-config';

/** An `experiments` row as the repository returns it (camelCase). */
export interface ExperimentRow {
  id: string;
  projectId: string;
  name: string;
  status: ExperimentStatus;
  statusReason: string | null;
  dataset: RunDatasetRef;
  datasetStats: DatasetStats;
  baseConfig: RunConfigSnapshot;
  /** The gateway config each sampled config is saved to as a version; null for older experiments. */
  savedConfigId: string | null;
  space: ParameterSpec[];
  strategy: StrategySpec;
  scorers: ScorerSpec[];
  runMode: RunMode;
  cacheMode: CacheMode;
  budget: ExperimentBudget;
  prices: Record<string, ModelPriceSpec>;
  maxConcurrentRuns: number;
  estimate: ExperimentEstimate;
  bestConfigId: string | null;
  bestScore: number | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

/** An `experiment_configs` row with its run's live status. */
export interface ExperimentConfigRow {
  id: string;
  experimentId: string;
  ordinal: number;
  wave: number;
  params: ParameterPoint;
  config: RunConfigSnapshot;
  configHash: string;
  runId: string | null;
  status: string;
  runStatus: string | null;
  score: number | null;
  costUsd: number;
  tokens: number;
  reservedCostUsd: number | null;
  reservedTokens: number;
}

/** What a sweep has spent (finished and running work) and committed (spent, or reserved while a run is unfinished). */
export interface ExperimentSpending {
  spentCostUsd: number;
  spentTokens: number;
  committedCostUsd: number;
  committedTokens: number;
}
