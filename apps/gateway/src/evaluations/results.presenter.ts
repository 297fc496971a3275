import {
  ExportItemRow, HumanScoreView, ItemDelta, PairedDifference, QuestionConsistency, RunAggregatesView, RunComparisonView, ScoreAggregate,
} from '@yardstick/contracts';
import { csvLine, csvNumberCell, csvTextCell } from './csv-cell';

const aggregate = (a: ScoreAggregate) => ({
  count: a.count, mean: a.mean, std: a.std, min: a.min, max: a.max, p50: a.p50, p95: a.p95, pass_rate: a.passRate,
});

const question = (q: QuestionConsistency) => ({
  dataset_item_id: q.datasetItemId, question: q.question, replicates: q.replicates, mean: q.mean, std: q.std, min: q.min, max: q.max,
});

export function presentAggregates(view: RunAggregatesView) {
  return {
    pass_threshold: view.passThreshold,
    total: aggregate(view.total),
    scorers: Object.fromEntries(Object.entries(view.scorers).map(([name, a]) => [name, aggregate(a)])),
    by_category: view.byCategory.map((c) => ({ category: c.category, ...aggregate(c) })),
    consistency: view.consistency && {
      questions: view.consistency.questions, mean_std: view.consistency.meanStd, max_std: view.consistency.maxStd,
      per_question: view.consistency.perQuestion.map(question),
    },
    human: {
      ...aggregate(view.human), items_rated: view.human.itemsRated,
      raters: view.human.raters.map((r) => ({ rater: r.rater, ...aggregate(r) })),
    },
  };
}

export function presentHumanScore(score: HumanScoreView) {
  return {
    item_id: score.itemId, rater: score.rater, value: score.value, comment: score.comment,
    created_at: score.createdAt, updated_at: score.updatedAt,
  };
}

const difference = (d: PairedDifference) => ({
  scorer: d.scorer, pairs: d.pairs, base_mean: d.baseMean, candidate_mean: d.candidateMean, mean_delta: d.meanDelta,
  wins: d.wins, losses: d.losses, ties: d.ties,
  paired_t_test: { t: d.tTest.t, degrees_of_freedom: d.tTest.degreesOfFreedom, p_value: d.tTest.pValue, ci95: d.tTest.ci95 },
  ...(d.bootstrap ? { paired_bootstrap: { ci95: d.bootstrap.ci95, resamples: d.bootstrap.resamples, seed: d.bootstrap.seed } } : {}),
});

const itemDelta = (i: ItemDelta) => ({
  dataset_item_id: i.datasetItemId, replicate: i.replicate, base_index: i.baseIndex, candidate_index: i.candidateIndex,
  category: i.category, question: i.question, base_score: i.baseScore, candidate_score: i.candidateScore, delta: i.delta,
  outcome: i.outcome, deltas: i.deltas,
});

export function presentComparison(view: RunComparisonView) {
  return {
    base_id: view.baseRunId,
    candidate_id: view.candidateRunId,
    dataset_id: view.datasetId,
    tie_tolerance: view.tieTolerance,
    unpaired: view.unpaired,
    total: difference(view.total),
    scorers: view.scorers.map(difference),
    items: { ...view.items, items: view.items.items.map(itemDelta) },
  };
}

/** One JSON line of the export. */
export function exportJsonLine(item: ExportItemRow): string {
  return `${JSON.stringify({
    index: item.index, replicate: item.replicate, dataset_item_id: item.datasetItemId, category: item.category,
    question: item.question, ground_truth: item.groundTruth, output: item.output, state: item.state, score: item.score,
    scores: item.scores, verdicts: item.verdicts, human_scores: item.humanScores, error: item.error,
  })}\n`;
}

/** The CSV header: fixed columns, then one `score_<scorer>` and one `passed_<scorer>` column per scorer of the run. */
export function exportCsvHeader(scorers: string[]): string {
  return csvLine([
    'index', 'replicate', 'dataset_item_id', 'category', 'question', 'ground_truth', 'output', 'state', 'score',
    ...scorers.map((name) => `score_${name}`), ...scorers.map((name) => `passed_${name}`), 'human_score_mean', 'human_scores', 'error_code', 'error_message',
  ]);
}

export function exportCsvRow(item: ExportItemRow, scorers: string[]): string {
  const human = item.humanScores;
  const humanMean = human.length ? human.reduce((sum, h) => sum + h.value, 0) / human.length : null;
  return csvLine([
    csvNumberCell(item.index), csvNumberCell(item.replicate), csvTextCell(item.datasetItemId), csvTextCell(item.category),
    csvTextCell(item.question), csvTextCell(item.groundTruth), csvTextCell(item.output), csvTextCell(item.state), csvNumberCell(item.score),
    ...scorers.map((name) => csvNumberCell(item.scores[name] ?? null)),
    ...scorers.map((name) => csvTextCell(item.verdicts[name] === undefined ? null : String(item.verdicts[name]))),
    csvNumberCell(humanMean), csvTextCell(human.length ? JSON.stringify(human) : null),
    csvTextCell(item.error?.code ?? null), csvTextCell(item.error?.message ?? null),
  ]);
}
