import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ExportItemRow, ExportPage, ExportRunItemsRequest, ItemState, ServiceErrorCode, ServiceException, ScorerSpec } from '@yardstick/contracts';

/** A page stays under this many bytes of JSON, well inside NATS's 1 MB message limit (at least one item is always sent). */
export const EXPORT_PAGE_MAX_BYTES = 768 * 1024;

interface ExportRow {
  item_index: number; replicate: number; dataset_item_id: string; category: string | null; question: string; ground_truth: string;
  output: string | null; state: ItemState; score: number | null; scores: Record<string, number>; verdicts: Record<string, boolean>;
  human_scores: ExportItemRow['humanScores']; error_code: string | null; error_message: string | null;
}

/** A run's items with their human scores, page by page in item order (keyset on item_index), for the export. */
@Injectable()
export class RunExportRepository {
  constructor(private readonly dataSource: DataSource) {}

  async page(request: ExportRunItemsRequest): Promise<ExportPage> {
    const [run]: Array<{ scorers: ScorerSpec[] }> = await this.dataSource.query(
      `SELECT scorers FROM evaluation_runs WHERE id = $1 AND project_id = $2`, [request.runId, request.projectId]);
    if (!run) throw new ServiceException(ServiceErrorCode.NotFound, `evaluation ${request.runId} not found`);
    const rows: ExportRow[] = await this.dataSource.query(
      `SELECT i.item_index, i.replicate, i.dataset_item_id, i.category, i.question, i.ground_truth, i.output, i.state, i.score, i.scores, i.verdicts,
              i.error_code, i.error_message,
              coalesce((SELECT json_agg(json_build_object('rater', h.rater, 'value', h.value, 'comment', h.comment) ORDER BY h.rater)
                        FROM human_scores h WHERE h.item_id = i.id), '[]') AS human_scores
       FROM run_items i WHERE i.run_id = $1 AND i.item_index > $2 ORDER BY i.item_index LIMIT $3`,
      [request.runId, request.afterIndex, request.limit],
    );
    const items: ExportItemRow[] = [];
    let bytes = 0;
    for (const row of rows) {
      const item = toExportRow(row);
      bytes += Buffer.byteLength(JSON.stringify(item));
      if (items.length > 0 && bytes > EXPORT_PAGE_MAX_BYTES) break;
      items.push(item);
    }
    const more = items.length < rows.length || rows.length === request.limit;
    return { scorers: run.scorers.map((s) => s.name), items, nextAfterIndex: more && items.length ? items[items.length - 1].index : null };
  }
}

function toExportRow(row: ExportRow): ExportItemRow {
  return {
    index: row.item_index, replicate: row.replicate, datasetItemId: row.dataset_item_id, category: row.category, question: row.question,
    groundTruth: row.ground_truth, output: row.output, state: row.state, score: row.score, scores: row.scores, verdicts: row.verdicts,
    humanScores: row.human_scores,
    error: row.error_code ? { code: row.error_code, message: row.error_message ?? '' } : null,
  };
}
