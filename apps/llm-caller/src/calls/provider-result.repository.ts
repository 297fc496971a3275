import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Stage } from '@yardstick/contracts';
import { ProviderResultEntity } from './provider-result.entity';

type NewResult<T> = Omit<ProviderResultEntity, 'createdAt' | 'result'> & { result: T };

/** Plain SQL on the hot path: two statements per provider call, no ORM object mapping. */
@Injectable()
export class ProviderResultRepository {
  constructor(private readonly dataSource: DataSource) {}

  async find<T>(itemId: string, stage: Stage): Promise<T | null> {
    const rows: Array<{ result: T }> = await this.dataSource.query(
      `SELECT result FROM provider_results WHERE item_id = $1 AND stage = $2`, [itemId, stage],
    );
    return rows[0]?.result ?? null;
  }

  /** Records the result unless one exists; returns the result that is on record either way. */
  async recordOnce<T extends object>(row: NewResult<T>): Promise<T> {
    const inserted: unknown[] = await this.dataSource.query(
      `INSERT INTO provider_results (item_id, stage, run_id, project_id, model, result, cost_usd)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (item_id, stage) DO NOTHING RETURNING item_id`,
      [row.itemId, row.stage, row.runId, row.projectId, row.model, JSON.stringify(row.result), row.costUsd],
    );
    if (inserted.length) return row.result;
    return (await this.find<T>(row.itemId, row.stage)) ?? row.result;
  }
}
