import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Stage } from '@yardstick/contracts';
import { ProviderResultEntity } from './provider-result.entity';

type NewResult<T> = Omit<ProviderResultEntity, 'createdAt' | 'result'> & { result: T };

/** Plain SQL on the hot path: two statements per provider call, no ORM object mapping. */
@Injectable()
export class ProviderResultRepository {
  constructor(private readonly dataSource: DataSource) {}

  async find<T>(itemId: string, stage: Stage, step = 0): Promise<T | null> {
    const rows: Array<{ result: T }> = await this.dataSource.query(
      `SELECT result FROM provider_results WHERE item_id = $1 AND stage = $2 AND step = $3`, [itemId, stage, step],
    );
    return rows[0]?.result ?? null;
  }

  /** Records the result unless one exists; returns the result that is on record either way. */
  async recordOnce<T extends object>(row: NewResult<T>): Promise<T> {
    const inserted: unknown[] = await this.dataSource.query(
      `INSERT INTO provider_results (item_id, stage, step, run_id, project_id, model, result, cost_usd)
       VALUES ($1, $2, $8, $3, $4, $5, $6, $7) ON CONFLICT (item_id, stage, step) DO NOTHING RETURNING item_id`,
      [row.itemId, row.stage, row.runId, row.projectId, row.model, JSON.stringify(row.result), row.costUsd, row.step],
    );
    if (inserted.length) return row.result;
    return (await this.find<T>(row.itemId, row.stage, row.step)) ?? row.result;
  }
}
