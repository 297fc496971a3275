import { IsInt, IsNumber, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength } from 'class-validator';
import { ItemState } from '../enums';

// Run results: aggregates, human scores, the comparison of two runs and the export, asked of the orchestrator over RPC.

/** A person's score of one item. One per rater per item: recording it again replaces the value and comment. */
export class RecordHumanScoreRequest {
  @IsUUID() projectId!: string;
  @IsUUID() runId!: string;
  @IsUUID() itemId!: string;
  @IsString() @MinLength(1) @MaxLength(200) rater!: string;
  /** In [0, 1], like every automatic score. */
  @IsNumber() @Min(0) @Max(1) value!: number;
  @IsOptional() @IsString() @MaxLength(4000) comment?: string;
}

export interface HumanScoreView {
  itemId: string;
  rater: string;
  value: number;
  comment: string | null;
  createdAt: string;
  updatedAt: string;
}

/** `created` is false when the rater had already scored the item and the score was replaced. */
export interface RecordedHumanScore {
  score: HumanScoreView;
  created: boolean;
}

/** count, mean, population std, min, max, p50, p95 (type 7, as `percentile_cont`) and pass rate of one series of scores. */
export interface ScoreAggregate {
  count: number;
  mean: number | null;
  std: number | null;
  min: number | null;
  max: number | null;
  p50: number | null;
  p95: number | null;
  /**
   * Share of passes among the verdicts (docs/results.md): per scorer, its items' `passed` verdicts; for a total, items whose
   * verdicts all passed; for human scores, scores ≥ the pass threshold. null when there is no verdict.
   */
  passRate: number | null;
}

export interface QuestionConsistency {
  datasetItemId: string;
  question: string;
  replicates: number;
  mean: number | null;
  std: number | null;
  min: number | null;
  max: number | null;
}

export interface RunAggregatesView {
  /** The pass threshold of human scores (they have no verdicts). */
  passThreshold: number;
  /** The items' weighted total scores. */
  total: ScoreAggregate;
  /** Per scorer of the run, over the items that have its score. */
  scorers: Record<string, ScoreAggregate>;
  /** The total score per dataset `category` (null = rows without one). */
  byCategory: Array<{ category: string | null } & ScoreAggregate>;
  /** Spread of the total score across the replicates of each question; null when no question has more than one replicate. */
  consistency: {
    questions: number;
    /** Mean over questions of the population std across their replicates. */
    meanStd: number | null;
    maxStd: number | null;
    /** The least consistent questions first (largest std), at most `CONSISTENCY_LIST_LIMIT`. */
    perQuestion: QuestionConsistency[];
  } | null;
  /** Human scores: all of them, and per rater. */
  human: ScoreAggregate & { itemsRated: number; raters: Array<{ rater: string } & ScoreAggregate> };
}

/** At most this many questions are listed in `consistency.perQuestion` (the export has every item). */
export const CONSISTENCY_LIST_LIMIT = 100;

export class CompareRunsRequest {
  @IsUUID() projectId!: string;
  @IsUUID() baseRunId!: string;
  @IsUUID() candidateRunId!: string;
  /** |delta| ≤ this counts as a tie. */
  @IsNumber() @Min(0) @Max(1) tieTolerance!: number;
  @IsInt() @Min(1) @Max(500) limit!: number;
  @IsInt() @Min(0) offset!: number;
}

export interface PairedDifference {
  /** `total` or a scorer's name. */
  scorer: string;
  pairs: number;
  baseMean: number | null;
  candidateMean: number | null;
  /** mean(candidate − base) over the pairs. */
  meanDelta: number | null;
  wins: number;
  losses: number;
  ties: number;
  /** Paired t-test on the differences, two-sided, 95% interval of the mean difference. */
  tTest: { t: number | null; degreesOfFreedom: number | null; pValue: number | null; ci95: [number, number] | null };
  /** Paired bootstrap percentile interval (total only): seeded, so reproducible. */
  bootstrap?: { ci95: [number, number] | null; resamples: number; seed: number };
}

export interface ItemDelta {
  datasetItemId: string;
  replicate: number;
  baseIndex: number;
  candidateIndex: number;
  category: string | null;
  question: string;
  baseScore: number;
  candidateScore: number;
  delta: number;
  outcome: 'win' | 'loss' | 'tie';
  /** Per scorer both runs have for this item: candidate − base. */
  deltas: Record<string, number>;
}

export interface RunComparisonView {
  baseRunId: string;
  candidateRunId: string;
  datasetId: string;
  tieTolerance: number;
  /** Items present in one run only or without a total score in one of them: left out of every number. */
  unpaired: { base: number; candidate: number };
  total: PairedDifference;
  scorers: PairedDifference[];
  /** Every pair, regressions first (most negative delta first), paged. */
  items: { items: ItemDelta[]; total: number; limit: number; offset: number };
}

export class ExportRunItemsRequest {
  @IsUUID() projectId!: string;
  @IsUUID() runId!: string;
  /** Keyset cursor: items (or, grouped per question, questions whose first item) with a larger `item_index`; -1 for the first page. */
  @IsInt() @Min(-1) afterIndex!: number;
  @IsInt() @Min(1) @Max(1000) limit!: number;
}

export interface ExportItemRow {
  index: number;
  replicate: number;
  datasetItemId: string;
  category: string | null;
  question: string;
  groundTruth: string;
  output: string | null;
  state: ItemState;
  score: number | null;
  scores: Record<string, number>;
  /** The scorers' pass/fail verdicts, by scorer (only scorers that give one). */
  verdicts: Record<string, boolean>;
  humanScores: Array<{ rater: string; value: number; comment: string | null }>;
  error: { code: string; message: string } | null;
}

export interface ExportPage {
  /** The run's scorer names, in its order: the CSV's score columns. */
  scorers: string[];
  items: ExportItemRow[];
  /** Pass as `afterIndex` for the next page; null after the last. */
  nextAfterIndex: number | null;
}

/** count, mean and population std of one series of scores (a question's replicates). */
export interface ReplicateStats {
  count: number;
  mean: number | null;
  std: number | null;
}

/** One question (dataset row) of the grouped export: its replicates' statistics and outputs. */
export interface ExportQuestionRow {
  /** The item_index of its first replicate: the order of the export and its keyset cursor. */
  firstIndex: number;
  datasetItemId: string;
  category: string | null;
  question: string;
  groundTruth: string;
  /** Items of the question (replicates), scored or not. */
  replicates: number;
  /** The replicates' total scores (count = replicates that have one). */
  score: ReplicateStats;
  /** Per scorer, over the replicates that have its score. */
  scores: Record<string, ReplicateStats>;
  /** Each replicate's output in replicate order (null when it has none, e.g. failed). */
  outputs: Array<string | null>;
}

export interface ExportQuestionsPage {
  scorers: string[];
  questions: ExportQuestionRow[];
  /** Pass as `afterIndex` (a question's `firstIndex`) for the next page; null after the last. */
  nextAfterIndex: number | null;
}
