import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  ExportQuestionRow, ExportQuestionsPage, ExportRunItemsRequest, ReplicateStats, ScorerSpec, ServiceErrorCode, ServiceException,
} from '@yardstick/contracts';
import { EXPORT_PAGE_MAX_BYTES } from './run-export.repository';

interface QuestionRow {
  first_index: number; dataset_item_id: string; category: string | null; question: string; ground_truth: string; replicates: number;
  scored: number; mean: number | null; std: number | null; scores: Record<string, ReplicateStats>; outputs: Array<string | null>;
}

/**
 * A run's export grouped per question (dataset row), page by page: a question is placed at its first replicate's item_index
 * (keyset on it), and its replicates are read by the (run_id, dataset_item_id, item_index) index, so a page costs a few index scans.
 */
@Injectable()
export class RunQuestionExportRepository {
  constructor(private readonly dataSource: DataSource) {}

  async page(request: ExportRunItemsRequest): Promise<ExportQuestionsPage> {
    const [run]: Array<{ scorers: ScorerSpec[] }> = await this.dataSource.query(
      `SELECT scorers FROM evaluation_runs WHERE id = $1 AND project_id = $2`, [request.runId, request.projectId]);
    if (!run) throw new ServiceException(ServiceErrorCode.NotFound, `evaluation ${request.runId} not found`);
    const rows: QuestionRow[] = await this.dataSource.query(
      `WITH firsts AS (
         SELECT f.dataset_item_id, f.item_index FROM run_items f
         WHERE f.run_id = $1 AND f.item_index > $2
           AND NOT EXISTS (SELECT 1 FROM run_items e WHERE e.run_id = $1 AND e.dataset_item_id = f.dataset_item_id AND e.item_index < f.item_index)
         ORDER BY f.item_index LIMIT $3)
       SELECT f.item_index AS first_index, f.dataset_item_id, q.category, q.question, q.ground_truth, q.replicates, q.scored, q.mean, q.std,
              q.outputs, coalesce(s.scores, '{}') AS scores
       FROM firsts f
       CROSS JOIN LATERAL (
         SELECT min(i.category) AS category, min(i.question) AS question, min(i.ground_truth) AS ground_truth, count(*)::int AS replicates,
                count(i.score)::int AS scored, avg(i.score)::float8 AS mean, stddev_pop(i.score)::float8 AS std,
                json_agg(i.output ORDER BY i.replicate, i.item_index) AS outputs
         FROM run_items i WHERE i.run_id = $1 AND i.dataset_item_id = f.dataset_item_id) q
       CROSS JOIN LATERAL (
         SELECT json_object_agg(k.key, json_build_object('count', k.count, 'mean', k.mean, 'std', k.std) ORDER BY k.key) AS scores
         FROM (SELECT v.key, count(*)::int AS count, avg(v.value::float8)::float8 AS mean, stddev_pop(v.value::float8)::float8 AS std
               FROM run_items i CROSS JOIN LATERAL jsonb_each_text(i.scores) AS v(key, value)
               WHERE i.run_id = $1 AND i.dataset_item_id = f.dataset_item_id GROUP BY v.key) k) s
       ORDER BY f.item_index`,
      [request.runId, request.afterIndex, request.limit],
    );
    const questions: ExportQuestionRow[] = [];
    let bytes = 0;
    for (const row of rows) {
      const question = toQuestionRow(row);
      bytes += Buffer.byteLength(JSON.stringify(question));
      if (questions.length > 0 && bytes > EXPORT_PAGE_MAX_BYTES) break;
      questions.push(question);
    }
    const more = questions.length < rows.length || rows.length === request.limit;
    return {
      scorers: run.scorers.map((s) => s.name), questions,
      nextAfterIndex: more && questions.length ? questions[questions.length - 1].firstIndex : null,
    };
  }
}

function toQuestionRow(row: QuestionRow): ExportQuestionRow {
  return {
    firstIndex: row.first_index, datasetItemId: row.dataset_item_id, category: row.category, question: row.question,
    groundTruth: row.ground_truth, replicates: row.replicates, score: { count: row.scored, mean: row.mean, std: row.std },
    scores: row.scores, outputs: row.outputs,
  };
}
