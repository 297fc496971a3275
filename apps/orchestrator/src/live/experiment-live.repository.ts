import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ExperimentStatus } from '@yardstick/contracts';

export interface ExperimentLiveSnapshot {
  status: ExperimentStatus;
  /** When the row last changed, in ms: tells one pause (or resume) of the experiment from the next. */
  changedAtMs: number;
  configsPlanned: number;
  configsRunning: number;
  configsDone: number;
  spentCostUsd: number;
  spentTokens: number;
}

/** What live progress reads about an experiment: its configs counted from their rows, spending from the runs' stages. */
@Injectable()
export class ExperimentLiveRepository {
  constructor(private readonly dataSource: DataSource) {}

  async snapshot(experimentId: string): Promise<ExperimentLiveSnapshot | null> {
    const [row] = await this.dataSource.query(
      `SELECT e.status, (extract(epoch FROM e.updated_at) * 1000)::float8 AS "changedAtMs",
              coalesce((e.estimate->>'configsTotal')::int, 0) AS "configsPlanned",
              (SELECT count(*)::int FROM experiment_configs c WHERE c.experiment_id = e.id AND c.status = 'running') AS "configsRunning",
              (SELECT count(*)::int FROM experiment_configs c WHERE c.experiment_id = e.id AND c.status <> 'running') AS "configsDone",
              coalesce(s.cost, 0)::float8 AS "spentCostUsd", coalesce(s.tokens, 0)::float8 AS "spentTokens"
       FROM experiments e
       CROSS JOIN LATERAL (SELECT sum(st.cost_usd) AS cost, sum(st.total_tokens) AS tokens
                           FROM experiment_configs c JOIN item_stages st ON st.run_id = c.run_id WHERE c.experiment_id = e.id) s
       WHERE e.id = $1`,
      [experimentId],
    );
    return row ?? null;
  }
}
