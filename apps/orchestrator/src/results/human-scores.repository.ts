import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { RecordedHumanScore, RecordHumanScoreRequest, ServiceErrorCode, ServiceException } from '@yardstick/contracts';

interface HumanScoreRow {
  item_id: string; rater: string; value: number; comment: string | null; created_at: Date; updated_at: Date; created: boolean;
}

/** People's scores of run items: one per (item, rater); recording again replaces the value and comment. */
@Injectable()
export class HumanScoresRepository {
  constructor(private readonly dataSource: DataSource) {}

  async record(request: RecordHumanScoreRequest): Promise<RecordedHumanScore> {
    // xmax = 0 only on a freshly inserted row: tells a first score from a replaced one in the same statement.
    const rows: HumanScoreRow[] = await this.dataSource.query(
      `INSERT INTO human_scores (item_id, rater, run_id, project_id, value, comment)
       SELECT i.id, $4, i.run_id, i.project_id, $5, $6 FROM run_items i WHERE i.id = $3 AND i.run_id = $2 AND i.project_id = $1
       ON CONFLICT (item_id, rater) DO UPDATE SET value = EXCLUDED.value, comment = EXCLUDED.comment, updated_at = now()
       RETURNING item_id, rater, value, comment, created_at, updated_at, (xmax = 0) AS created`,
      [request.projectId, request.runId, request.itemId, request.rater, request.value, request.comment ?? null],
    );
    if (rows.length === 0) throw await this.notFound(request);
    const [row] = rows;
    return {
      created: row.created,
      score: {
        itemId: row.item_id, rater: row.rater, value: row.value, comment: row.comment,
        createdAt: row.created_at.toISOString(), updatedAt: row.updated_at.toISOString(),
      },
    };
  }

  private async notFound(request: RecordHumanScoreRequest): Promise<ServiceException> {
    const [run] = await this.dataSource.query(`SELECT 1 FROM evaluation_runs WHERE id = $1 AND project_id = $2`, [request.runId, request.projectId]);
    return run
      ? new ServiceException(ServiceErrorCode.NotFound, `item ${request.itemId} not found in evaluation ${request.runId}`)
      : new ServiceException(ServiceErrorCode.NotFound, `evaluation ${request.runId} not found`);
  }
}
