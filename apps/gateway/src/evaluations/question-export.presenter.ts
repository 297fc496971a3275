import { ExportQuestionRow, ReplicateStats } from '@yardstick/contracts';
import { csvLine, csvNumberCell, csvTextCell } from './csv-cell';

const stats = (s: ReplicateStats | undefined) => (s ? { count: s.count, mean: s.mean, std: s.std } : { count: 0, mean: null, std: null });

/** One JSON line of the export grouped per question. */
export function questionJsonLine(row: ExportQuestionRow): string {
  return `${JSON.stringify({
    index: row.firstIndex, dataset_item_id: row.datasetItemId, category: row.category, question: row.question, ground_truth: row.groundTruth,
    replicates: row.replicates, score: stats(row.score),
    scores: Object.fromEntries(Object.entries(row.scores).map(([name, s]) => [name, stats(s)])), outputs: row.outputs,
  })}\n`;
}

/** The grouped CSV header: the question, its replicate count, mean and std of the total and of each scorer, its outputs (a JSON array). */
export function questionCsvHeader(scorers: string[]): string {
  return csvLine([
    'index', 'dataset_item_id', 'category', 'question', 'ground_truth', 'replicates', 'scored', 'score_mean', 'score_std',
    ...scorers.flatMap((name) => [`score_${name}_mean`, `score_${name}_std`]), 'outputs',
  ]);
}

export function questionCsvRow(row: ExportQuestionRow, scorers: string[]): string {
  return csvLine([
    csvNumberCell(row.firstIndex), csvTextCell(row.datasetItemId), csvTextCell(row.category), csvTextCell(row.question),
    csvTextCell(row.groundTruth), csvNumberCell(row.replicates), csvNumberCell(row.score.count), csvNumberCell(row.score.mean),
    csvNumberCell(row.score.std),
    ...scorers.flatMap((name) => [csvNumberCell(row.scores[name]?.mean ?? null), csvNumberCell(row.scores[name]?.std ?? null)]),
    csvTextCell(JSON.stringify(row.outputs)),
  ]);
}
