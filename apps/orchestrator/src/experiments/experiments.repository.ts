import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ExperimentStatus, Page } from '@yardstick/contracts';
import { ExperimentConfigRow, ExperimentRow, ExperimentSpending } from './experiment-row';

const EXPERIMENT_COLUMNS = `id, project_id AS "projectId", name, status, status_reason AS "statusReason", dataset, dataset_stats AS "datasetStats",
  base_config AS "baseConfig", saved_config_id AS "savedConfigId", space, strategy, scorers, run_mode AS "runMode", cache_mode AS "cacheMode", budget, prices,
  max_concurrent_runs AS "maxConcurrentRuns", estimate, best_config_id AS "bestConfigId", best_score AS "bestScore",
  created_at AS "createdAt", started_at AS "startedAt", finished_at AS "finishedAt"`;

const CONFIG_COLUMNS = `c.id, c.experiment_id AS "experimentId", c.ordinal, c.wave, c.params, c.config, c.config_hash AS "configHash",
  c.run_id AS "runId", c.status, r.status::text AS "runStatus", c.score, c.cost_usd::float8 AS "costUsd", c.tokens::float8 AS tokens,
  c.reserved_cost_usd::float8 AS "reservedCostUsd", c.reserved_tokens::float8 AS "reservedTokens"`;

/** Run statuses after which a config's result is final. */
const FINISHED_RUN = `('completed', 'failed', 'cancelled')`;

/** The only code that reads and writes `experiments` and `experiment_configs`. */
@Injectable()
export class ExperimentsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(row: Omit<ExperimentRow, 'createdAt' | 'startedAt' | 'finishedAt' | 'bestConfigId' | 'bestScore' | 'statusReason'>): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO experiments (id, project_id, name, status, dataset, dataset_stats, base_config, space, strategy, scorers, run_mode,
                                cache_mode, budget, prices, max_concurrent_runs, estimate, saved_config_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
      [row.id, row.projectId, row.name, row.status, row.dataset, row.datasetStats, row.baseConfig, JSON.stringify(row.space), row.strategy,
        JSON.stringify(row.scorers), row.runMode, row.cacheMode, row.budget, row.prices, row.maxConcurrentRuns, row.estimate, row.savedConfigId],
    );
  }

  async find(id: string, projectId?: string, manager: EntityManager = this.dataSource.manager): Promise<ExperimentRow | null> {
    const rows: ExperimentRow[] = await manager.query(
      `SELECT ${EXPERIMENT_COLUMNS} FROM experiments WHERE id = $1 AND ($2::uuid IS NULL OR project_id = $2)`, [id, projectId ?? null],
    );
    return rows[0] ?? null;
  }

  async list(projectId: string, limit: number, offset: number): Promise<Page<ExperimentRow>> {
    const items: ExperimentRow[] = await this.dataSource.query(
      `SELECT ${EXPERIMENT_COLUMNS} FROM experiments WHERE project_id = $1 ORDER BY created_at DESC, id LIMIT $2 OFFSET $3`,
      [projectId, limit, offset],
    );
    const [{ total }] = await this.dataSource.query(`SELECT count(*)::int AS total FROM experiments WHERE project_id = $1`, [projectId]);
    return { items, total, limit, offset };
  }

  /** Experiments the sweep driver must look at: running or paused ones, and any with a run not yet harvested. */
  async needingAttention(limit: number): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `SELECT e.id FROM experiments e
       WHERE e.status IN ('running', 'paused')
          OR EXISTS (SELECT 1 FROM experiment_configs c WHERE c.experiment_id = e.id AND c.status = 'running')
       ORDER BY e.updated_at LIMIT $1`,
      [limit],
    );
    return rows.map((r) => r.id);
  }

  configs(experimentId: string, manager: EntityManager = this.dataSource.manager): Promise<ExperimentConfigRow[]> {
    return manager.query(
      `SELECT ${CONFIG_COLUMNS} FROM experiment_configs c LEFT JOIN evaluation_runs r ON r.id = c.run_id
       WHERE c.experiment_id = $1 ORDER BY c.ordinal`,
      [experimentId],
    );
  }

  async insertConfig(manager: EntityManager, row: Omit<ExperimentConfigRow, 'runStatus' | 'score' | 'costUsd' | 'tokens' | 'status'>,
    projectId: string): Promise<boolean> {
    // RETURNING: for an INSERT TypeORM's query() gives the rows, not a row count.
    const inserted: unknown[] = await manager.query(
      `INSERT INTO experiment_configs (id, experiment_id, project_id, ordinal, wave, params, config, config_hash, run_id, status,
                                       reserved_cost_usd, reserved_tokens)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'running', $10, $11)
       ON CONFLICT DO NOTHING RETURNING id`,
      [row.id, row.experimentId, projectId, row.ordinal, row.wave, row.params, row.config, row.configHash, row.runId,
        row.reservedCostUsd, row.reservedTokens],
    );
    return inserted.length > 0;
  }

  /** The run an earlier, interrupted attempt created for a config (run names are derived from the config hash). */
  async runIdByName(projectId: string, runName: string): Promise<string | null> {
    const rows = await this.dataSource.query(`SELECT id FROM evaluation_runs WHERE project_id = $1 AND run_name = $2`, [projectId, runName]);
    return rows[0]?.id ?? null;
  }

  /** Spending from item_stages.cost_usd and total_tokens across the experiment's runs; unfinished runs count their reservation if larger. */
  async spending(experimentId: string, manager: EntityManager = this.dataSource.manager): Promise<ExperimentSpending> {
    const [row] = await manager.query(
      `SELECT coalesce(sum(s.cost), 0)::float8 AS "spentCostUsd", coalesce(sum(s.tokens), 0)::float8 AS "spentTokens",
              coalesce(sum(CASE WHEN c.status = 'running' THEN greatest(s.cost, coalesce(c.reserved_cost_usd, 0)) ELSE s.cost END), 0)::float8
                AS "committedCostUsd",
              coalesce(sum(CASE WHEN c.status = 'running' THEN greatest(s.tokens, c.reserved_tokens) ELSE s.tokens END), 0)::float8
                AS "committedTokens"
       FROM experiment_configs c
       CROSS JOIN LATERAL (SELECT coalesce(sum(cost_usd), 0) AS cost, coalesce(sum(total_tokens), 0) AS tokens
                           FROM item_stages WHERE run_id = c.run_id) s
       WHERE c.experiment_id = $1`,
      [experimentId],
    );
    return row;
  }

  /** Running configs whose run has finished, with the final score, cost and tokens; marks them finished (once). */
  async harvest(manager: EntityManager, experimentId: string): Promise<ExperimentConfigRow[]> {
    const [rows] = await manager.query(
      `UPDATE experiment_configs c SET status = r.status::text, finished_at = now(),
              score = (SELECT avg(i.score) FROM run_items i WHERE i.run_id = r.id),
              cost_usd = s.cost, tokens = s.tokens
       FROM evaluation_runs r,
            LATERAL (SELECT coalesce(sum(cost_usd), 0) AS cost, coalesce(sum(total_tokens), 0) AS tokens FROM item_stages WHERE run_id = r.id) s
       WHERE c.experiment_id = $1 AND c.status = 'running' AND r.id = c.run_id AND r.status IN ${FINISHED_RUN}
       RETURNING c.id, c.ordinal, c.run_id AS "runId", c.params, c.status, c.score, c.cost_usd::float8 AS "costUsd"`,
      [experimentId],
    );
    return (rows as ExperimentConfigRow[]).sort((a, b) => a.ordinal - b.ordinal);
  }

  /** Raises the best score when `score` beats it; true when it did. */
  async offerBest(manager: EntityManager, experimentId: string, configId: string, score: number): Promise<boolean> {
    const [, count] = await manager.query(
      `UPDATE experiments SET best_config_id = $2, best_score = $3, updated_at = now()
       WHERE id = $1 AND (best_score IS NULL OR best_score < $3)`,
      [experimentId, configId, score],
    );
    return count > 0;
  }

  /** Compare-and-set on the status; true when the row moved. */
  async transition(manager: EntityManager, id: string, from: ExperimentStatus[], to: ExperimentStatus, reason: string | null): Promise<boolean> {
    const [, count] = await manager.query(
      `UPDATE experiments SET status = $3, status_reason = $4, updated_at = now(),
              started_at = CASE WHEN $3 = 'running' THEN coalesce(started_at, now()) ELSE started_at END,
              finished_at = CASE WHEN $3 IN ('completed', 'stopped', 'budget_exhausted') THEN now() ELSE finished_at END
       WHERE id = $1 AND status = ANY($2::text[])`,
      [id, from, to, reason],
    );
    return count > 0;
  }

  async touch(id: string): Promise<void> {
    await this.dataSource.query(`UPDATE experiments SET updated_at = now() WHERE id = $1`, [id]);
  }

  /** Ids of the experiment's runs in the given run statuses. */
  async runIds(experimentId: string, runStatuses: string[]): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `SELECT r.id FROM experiment_configs c JOIN evaluation_runs r ON r.id = c.run_id
       WHERE c.experiment_id = $1 AND r.status::text = ANY($2::text[])`,
      [experimentId, runStatuses],
    );
    return rows.map((r) => r.id);
  }
}
