import 'reflect-metadata';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { BLOB_STORE, BlobStore } from '@yardstick/blob-store';
import { BusConnection } from '@yardstick/bus';
import { CreateRunRequest, RunMode, ScorerName, Streams } from '@yardstick/contracts';
import { runMigrations } from '@yardstick/persistence';
import { loadEnvironment } from '@yardstick/service-runtime';
import { uniqueTestId } from '@yardstick/testing';
import { AppModule } from '../src/app.module';
import { OrchestratorEnv } from '../src/config/orchestrator.env';
import { orchestratorPersistence } from '../src/orchestrator.persistence';
import { RunCreationService } from '../src/runs/run-creation.service';

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const TEST_PROJECT = '00000000-0000-4000-8000-0000000000aa';

export interface DatasetRow {
  question: string;
  answer: string;
  category?: string | null;
  replicate?: number;
}

/** The orchestrator in-process against the real Postgres and NATS, in its own schema and bus prefix. */
export class OrchestratorHarness {
  readonly id: string;
  app!: INestApplication;
  dataSource!: DataSource;

  constructor(prefix: string) {
    this.id = uniqueTestId(prefix);
  }

  async start(env: Record<string, string> = {}): Promise<this> {
    process.env.BLOB_FS_ROOT = mkdtempSync(join(tmpdir(), `${this.id}-`));
    const orchestratorEnv = loadEnvironment(OrchestratorEnv, {
      DATABASE_URL, DB_SCHEMA: this.id, BUS_PREFIX: this.id, PORT: '0', RECONCILE_INTERVAL_MS: '600000', ...env,
    });
    await runMigrations(orchestratorPersistence(orchestratorEnv));
    this.app = await NestFactory.create(AppModule.register(orchestratorEnv), { logger: false });
    await this.app.init();
    this.dataSource = this.app.get(DataSource);
    return this;
  }

  /**
   * A fast run over `rows` (dataset row i has id ...000i+1), created the way the gateway asks for it, with every item's first
   * stage marked in flight as if dispatched; `config` replaces the single-stage default.
   */
  async createRun(name: string, rows: DatasetRow[], config?: CreateRunRequest['config']): Promise<{ runId: string; itemIds: string[] }> {
    const key = `datasets/${name}/items.jsonl`;
    await this.app.get<BlobStore>(BLOB_STORE).put(key, rows.map((row, index) => JSON.stringify({
      id: `00000000-0000-4000-8000-${String(index + 1).padStart(12, '0')}`, index, replicate: row.replicate ?? 1,
      question: row.question, answer: row.answer, category: row.category ?? null,
    })).join('\n'));
    const runId = await this.app.get(RunCreationService).create({
      projectId: TEST_PROJECT, runName: name, runMode: RunMode.Fast,
      dataset: { id: '00000000-0000-4000-8000-00000000d000', name, itemsBlobKey: key, totalItems: rows.length },
      config: config ?? { configId: '00000000-0000-4000-8000-00000000c000', version: 1, model: 'sim-large', promptTemplate: '{{question}}', params: {}, embeddingModel: 'e' },
      scorers: [{ name: ScorerName.CosineSimilarity, weight: 1 }],
    }, 0.5);
    await this.dataSource.query(`UPDATE item_stages SET state = 'in_flight', attempt = 1 WHERE run_id = $1`, [runId]);
    const items: Array<{ id: string }> = await this.dataSource.query(`SELECT id FROM run_items WHERE run_id = $1 ORDER BY item_index`, [runId]);
    return { runId, itemIds: items.map((item) => item.id) };
  }

  async stop(): Promise<void> {
    if (this.app) {
      const bus = this.app.get(BusConnection);
      for (const stream of Object.values(Streams)) await bus.jsm.streams.delete(bus.names.stream(stream)).catch(() => undefined);
      await this.app.close();
    }
    const client = new Client({ connectionString: DATABASE_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${this.id}" CASCADE`);
    await client.end();
  }
}

/** `count` rows `q<i>` / `a<i>`. */
export const numberedRows = (count: number): DatasetRow[] => Array.from({ length: count }, (_, i) => ({ question: `q${i}`, answer: `a${i}` }));
