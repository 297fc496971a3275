import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  CONSISTENCY_LIST_LIMIT, QuestionConsistency, RunAggregatesView, ScoreAggregate, ServiceErrorCode, ServiceException,
} from '@yardstick/contracts';
import { ITEM_PASSED, scoreAggregateColumns, toScoreAggregate } from './score-aggregate.sql';

/** A human score at or above this passes (human scores have no verdicts; automatic pass rates come from the scorers' verdicts). */
export const PASS_THRESHOLD = 0.5;

type AggregateRow = ScoreAggregate;

/** Run aggregates, computed by Postgres over the items (and human scores) of the run, so a large run costs a few scans. */
@Injectable()
export class RunResultsAggregatesRepository {
  constructor(private readonly dataSource: DataSource) {}

  async aggregates(projectId: string, runId: string): Promise<RunAggregatesView> {
    const [run] = await this.dataSource.query(`SELECT 1 FROM evaluation_runs WHERE id = $1 AND project_id = $2`, [runId, projectId]);
    if (!run) throw new ServiceException(ServiceErrorCode.NotFound, `evaluation ${runId} not found`);
    const [total, scorers, byCategory, consistency, human] = await Promise.all([
      this.total(runId), this.perScorer(runId), this.byCategory(runId), this.consistency(runId), this.human(runId),
    ]);
    return { passThreshold: PASS_THRESHOLD, total, scorers, byCategory, consistency, human };
  }

  private async total(runId: string): Promise<ScoreAggregate> {
    const [row]: AggregateRow[] = await this.dataSource.query(
      `SELECT ${scoreAggregateColumns('i.score', ITEM_PASSED)} FROM run_items i WHERE i.run_id = $1`, [runId]);
    return toScoreAggregate(row);
  }

  private async perScorer(runId: string): Promise<Record<string, ScoreAggregate>> {
    const rows: Array<AggregateRow & { scorer: string }> = await this.dataSource.query(
      `SELECT s.key AS scorer, ${scoreAggregateColumns('(s.value)::float8', '(i.verdicts ->> s.key)::boolean')}
       FROM run_items i CROSS JOIN LATERAL jsonb_each_text(i.scores) AS s(key, value)
       WHERE i.run_id = $1 GROUP BY s.key ORDER BY s.key`,
      [runId],
    );
    return Object.fromEntries(rows.map((row) => [row.scorer, toScoreAggregate(row)]));
  }

  private async byCategory(runId: string): Promise<RunAggregatesView['byCategory']> {
    const rows: Array<AggregateRow & { category: string | null }> = await this.dataSource.query(
      `SELECT i.category, ${scoreAggregateColumns('i.score', ITEM_PASSED)} FROM run_items i WHERE i.run_id = $1
       GROUP BY i.category ORDER BY i.category NULLS LAST`,
      [runId],
    );
    return rows.map((row) => ({ category: row.category, ...toScoreAggregate(row) }));
  }

  /** Per question (dataset row) with more than one replicate: mean and spread of its replicates' total scores. */
  private async consistency(runId: string): Promise<RunAggregatesView['consistency']> {
    const questions = `SELECT dataset_item_id, min(question) AS question, count(score)::int AS replicates, avg(score)::float8 AS mean,
                              stddev_pop(score)::float8 AS std, min(score)::float8 AS min, max(score)::float8 AS max
                       FROM run_items WHERE run_id = $1 GROUP BY dataset_item_id HAVING count(*) > 1`;
    const [[summary], list] = await Promise.all([
      this.dataSource.query(`SELECT count(*)::int AS questions, avg(std)::float8 AS "meanStd", max(std)::float8 AS "maxStd" FROM (${questions}) q`, [runId]),
      this.dataSource.query(
        `SELECT dataset_item_id AS "datasetItemId", question, replicates, mean, std, min, max FROM (${questions}) q
         ORDER BY std DESC NULLS LAST, dataset_item_id LIMIT $2`,
        [runId, CONSISTENCY_LIST_LIMIT],
      ) as Promise<QuestionConsistency[]>,
    ]);
    return summary.questions === 0 ? null : { questions: summary.questions, meanStd: summary.meanStd, maxStd: summary.maxStd, perQuestion: list };
  }

  private async human(runId: string): Promise<RunAggregatesView['human']> {
    const [[all], raters] = await Promise.all([
      this.dataSource.query(
        `SELECT count(DISTINCT item_id)::int AS "itemsRated", ${scoreAggregateColumns('value', 'value >= $2')} FROM human_scores WHERE run_id = $1`,
        [runId, PASS_THRESHOLD],
      ),
      this.dataSource.query(
        `SELECT rater, ${scoreAggregateColumns('value', 'value >= $2')} FROM human_scores WHERE run_id = $1 GROUP BY rater ORDER BY rater`,
        [runId, PASS_THRESHOLD],
      ) as Promise<Array<AggregateRow & { rater: string }>>,
    ]);
    return {
      ...toScoreAggregate(all), itemsRated: all.itemsRated,
      raters: raters.map((row) => ({ rater: row.rater, ...toScoreAggregate(row) })),
    };
  }
}
