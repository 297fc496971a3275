import { parse } from 'csv-parse/sync';
import { ExportQuestionRow } from '@yardstick/contracts';
import { questionCsvHeader, questionCsvRow, questionJsonLine } from './question-export.presenter';

const ROW: ExportQuestionRow = {
  firstIndex: 4, datasetItemId: '00000000-0000-4000-8000-000000000a01', category: null, question: '=HYPERLINK("x"), "quoted"\nline 2',
  groundTruth: '-1', replicates: 3, score: { count: 2, mean: 0.25, std: 0.25 },
  scores: { exact_match: { count: 2, mean: 0.5, std: 0.5 } }, outputs: ['a, "b"', null, '@c'],
};

describe('question export presenter', () => {
  it('writes one CSV row per question that parses back, formulas escaped, outputs as a JSON array, missing scorers empty', () => {
    const text = questionCsvHeader(['exact_match', 'contains']) + questionCsvRow(ROW, ['exact_match', 'contains']);
    const [record] = parse(text, { columns: true }) as Array<Record<string, string>>;
    expect(record).toEqual({
      index: '4', dataset_item_id: ROW.datasetItemId, category: '', question: `'${ROW.question}`, ground_truth: "'-1", replicates: '3',
      scored: '2', score_mean: '0.25', score_std: '0.25', score_exact_match_mean: '0.5', score_exact_match_std: '0.5',
      score_contains_mean: '', score_contains_std: '', outputs: JSON.stringify(ROW.outputs),
    });
    expect(JSON.parse(record.outputs)).toEqual(['a, "b"', null, '@c']);
  });

  it('writes one JSON line per question in snake_case', () => {
    expect(JSON.parse(questionJsonLine(ROW))).toEqual({
      index: 4, dataset_item_id: ROW.datasetItemId, category: null, question: ROW.question, ground_truth: '-1', replicates: 3,
      score: { count: 2, mean: 0.25, std: 0.25 }, scores: { exact_match: { count: 2, mean: 0.5, std: 0.5 } }, outputs: ROW.outputs,
    });
  });
});
