import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { RunStatus, ScorerSpec } from '@yardstick/contracts';

export interface ComparedRun {
  id: string;
  datasetId: string;
  status: RunStatus;
  scorers: ScorerSpec[];
  itemsTotal: number;
}

/** One dataset row × replicate scored in both runs. */
export interface ItemPair {
  datasetItemId: string;
  replicate: number;
  baseIndex: number;
  candidateIndex: number;
  category: string | null;
  baseScore: number;
  candidateScore: number;
  baseScores: Record<string, number>;
  candidateScores: Record<string, number>;
}

/** Reads two runs' items side by side, paired by dataset row and replicate. */
@Injectable()
export class RunComparisonRepository {
  constructor(private readonly dataSource: DataSource) {}

  async run(projectId: string, runId: string): Promise<ComparedRun | null> {
    const [row] = await this.dataSource.query(
      `SELECT id, dataset_id AS "datasetId", status, scorers, items_total AS "itemsTotal" FROM evaluation_runs WHERE id = $1 AND project_id = $2`,
      [runId, projectId],
    );
    return row ?? null;
  }

  /** Pairs whose items have a total score in both runs; the question text is read later, for the page shown only. */
  pairs(baseRunId: string, candidateRunId: string): Promise<ItemPair[]> {
    return this.dataSource.query(
      `SELECT b.dataset_item_id AS "datasetItemId", b.replicate, b.item_index AS "baseIndex", c.item_index AS "candidateIndex",
              b.category, b.score AS "baseScore", c.score AS "candidateScore", b.scores AS "baseScores", c.scores AS "candidateScores"
       FROM run_items b JOIN run_items c ON c.run_id = $2 AND c.dataset_item_id = b.dataset_item_id AND c.replicate = b.replicate
       WHERE b.run_id = $1 AND b.score IS NOT NULL AND c.score IS NOT NULL`,
      [baseRunId, candidateRunId],
    );
  }

  async questions(runId: string, indexes: number[]): Promise<Map<number, string>> {
    if (indexes.length === 0) return new Map();
    const rows: Array<{ item_index: number; question: string }> = await this.dataSource.query(
      `SELECT item_index, question FROM run_items WHERE run_id = $1 AND item_index = ANY($2::int[])`, [runId, indexes]);
    return new Map(rows.map((row) => [row.item_index, row.question]));
  }
}
