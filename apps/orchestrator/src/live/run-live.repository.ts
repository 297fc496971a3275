import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { RunStatus } from '@yardstick/contracts';

export interface RunLiveSnapshot {
  status: RunStatus;
  attempt: number;
  total: number;
  succeeded: number;
  failed: number;
  inProgress: number;
  scoreMean: number | null;
  scoreCount: number;
}

/** What live progress reads about a run: counted from the items' rows, like the run's own aggregates. */
@Injectable()
export class RunLiveRepository {
  constructor(private readonly dataSource: DataSource) {}

  async snapshot(runId: string): Promise<RunLiveSnapshot | null> {
    const [row] = await this.dataSource.query(
      `SELECT r.status::text AS status, r.attempt,
              count(i.id)::int AS total,
              count(i.id) FILTER (WHERE i.state = 'succeeded')::int AS succeeded,
              count(i.id) FILTER (WHERE i.state = 'failed')::int AS failed,
              count(i.id) FILTER (WHERE i.state = 'in_progress')::int AS "inProgress",
              avg(i.score)::float8 AS "scoreMean", count(i.score)::int AS "scoreCount"
       FROM evaluation_runs r LEFT JOIN run_items i ON i.run_id = r.id
       WHERE r.id = $1 GROUP BY r.id`,
      [runId],
    );
    return row ?? null;
  }

  async itemPositions(itemIds: string[]): Promise<Map<string, { itemIndex: number; replicate: number }>> {
    const rows: Array<{ id: string; itemIndex: number; replicate: number }> = await this.dataSource.query(
      `SELECT id, item_index AS "itemIndex", replicate FROM run_items WHERE id = ANY($1::uuid[])`, [itemIds],
    );
    return new Map(rows.map((row) => [row.id, { itemIndex: row.itemIndex, replicate: row.replicate }]));
  }
}
