import 'reflect-metadata';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { BLOB_STORE, BlobStore } from '@yardstick/blob-store';
import { BusConnection, LiveEvent, LiveEventReader } from '@yardstick/bus';
import { EmbeddedTextRole, LiveEventType, LiveSubjects, RunFinishedEvent, RunMode, ScorerName, Stage, Streams } from '@yardstick/contracts';
import { runMigrations } from '@yardstick/persistence';
import { loadEnvironment } from '@yardstick/service-runtime';
import { uniqueTestId } from '@yardstick/testing';
import { AppModule } from '../src/app.module';
import { OrchestratorEnv } from '../src/config/orchestrator.env';
import { RunLiveEvents } from '../src/live/run-live-events';
import { orchestratorPersistence } from '../src/orchestrator.persistence';
import { RunControlService } from '../src/runs/run-control.service';
import { RunCreationService } from '../src/runs/run-creation.service';
import { ItemProgressService } from '../src/stages/item-progress.service';

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const PROJECT = '00000000-0000-4000-8000-0000000000aa';
const usage = { inputTokens: 10, outputTokens: 5, totalTokens: 15 };

describe('live progress of runs (orchestrator with real Postgres and NATS)', () => {
  const id = uniqueTestId('live');
  let app: INestApplication;
  let dataSource: DataSource;
  let progress: ItemProgressService;
  let control: RunControlService;

  beforeAll(async () => {
    process.env.BLOB_FS_ROOT = mkdtempSync(join(tmpdir(), `${id}-`));
    const env = loadEnvironment(OrchestratorEnv, {
      DATABASE_URL, DB_SCHEMA: id, BUS_PREFIX: id, PORT: '0', RECONCILE_INTERVAL_MS: '600000', FAILURE_MIN_FINISHED_ITEMS: '100',
    });
    await runMigrations(orchestratorPersistence(env));
    app = await NestFactory.create(AppModule.register(env), { logger: false });
    await app.init();
    dataSource = app.get(DataSource);
    progress = app.get(ItemProgressService);
    control = app.get(RunControlService);
  }, 60_000);

  afterAll(async () => {
    const bus = app.get(BusConnection);
    for (const stream of Object.values(Streams)) await bus.jsm.streams.delete(bus.names.stream(stream)).catch(() => undefined);
    await app.close();
    const client = new Client({ connectionString: DATABASE_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${id}" CASCADE`);
    await client.end();
  });

  async function createRun(name: string, questions: number): Promise<{ runId: string; itemIds: string[] }> {
    const key = `datasets/${name}/items.jsonl`;
    await app.get<BlobStore>(BLOB_STORE).put(key, Array.from({ length: questions }, (_, index) => JSON.stringify({
      id: `00000000-0000-4000-8000-${String(index + 1).padStart(12, '0')}`, index, replicate: 1, question: `q${index}`, answer: `a${index}`, category: null,
    })).join('\n'));
    const runId = await app.get(RunCreationService).create({
      projectId: PROJECT, runName: name, runMode: RunMode.Fast,
      dataset: { id: '00000000-0000-4000-8000-00000000d000', name, itemsBlobKey: key, totalItems: questions },
      config: { configId: '00000000-0000-4000-8000-00000000c000', version: 1, model: 'sim-large', promptTemplate: '{{question}}', params: {}, embeddingModel: 'e' },
      scorers: [{ name: ScorerName.CosineSimilarity, weight: 1 }],
    }, 0.5);
    await dataSource.query(`UPDATE item_stages SET state = 'in_flight', attempt = 1 WHERE run_id = $1`, [runId]);
    const rows: Array<{ id: string }> = await dataSource.query(`SELECT id FROM run_items WHERE run_id = $1 ORDER BY item_index`, [runId]);
    return { runId, itemIds: rows.map((r) => r.id) };
  }

  const ref = (runId: string, itemId: string) => ({ runId, projectId: PROJECT, itemId, attempt: 1 });

  async function completeItem(runId: string, itemId: string, score: number) {
    await progress.recordResponse({ ...ref(runId, itemId), model: 'sim-large', output: 'out', usage, latencyMs: 5, costUsd: 0.001 });
    await progress.recordEmbeddings({
      ...ref(runId, itemId), model: 'e', usage, latencyMs: 1, costUsd: 0.0001,
      vectors: [{ role: EmbeddedTextRole.Output, embedding: [1, 0] }, { role: EmbeddedTextRole.GroundTruth, embedding: [0, 1] }],
    });
    await progress.recordScores({ ...ref(runId, itemId), results: [{ scorer: ScorerName.CosineSimilarity, value: score }] });
  }

  /** The run's stored events, read back the way the gateway reads them, from the first up to the run's latest. */
  async function storedEvents(runId: string): Promise<LiveEvent[]> {
    const latest = (await app.get(LiveEventReader).last(LiveSubjects.run(runId)))!.sequence;
    const subscription = await app.get(LiveEventReader).open(LiveSubjects.run(runId), 0, 100);
    const events: LiveEvent[] = [];
    const deadline = setTimeout(() => void subscription.close(), 10_000);
    try {
      for await (const event of subscription) {
        events.push(event);
        if (event.sequence >= latest) break;
      }
    } finally {
      clearTimeout(deadline);
      await subscription.close();
    }
    return events;
  }

  const lastSequence = async (runId: string) => (await app.get(LiveEventReader).last(LiveSubjects.run(runId)))?.sequence;

  it('publishes the status at creation and at every change, each finished item once, and a final snapshot right before the terminal status', async () => {
    const { runId, itemIds } = await createRun('watched', 3);
    await control.pause(PROJECT, runId);
    await control.resume(PROJECT, runId);
    await completeItem(runId, itemIds[0], 0.25);
    await completeItem(runId, itemIds[0], 0.75); // redelivered: recorded once, reported once
    await progress.recordFailure({ ...ref(runId, itemIds[1]), stage: Stage.Responses, error: { code: 'invalid_request_error', message: 'bad', retryable: false } });
    await completeItem(runId, itemIds[2], 0.5);

    const events = await storedEvents(runId);
    const data = events.map((event) => event.envelope.data);
    expect(data.filter((d) => d.type === LiveEventType.Status).map((d) => d.type === LiveEventType.Status && d.status))
      .toEqual(['running', 'paused', 'running', 'completed']);
    const items = data.flatMap((d) => (d.type === LiveEventType.Items ? d.items : []));
    expect(items.map((item) => [item.itemIndex, item.state, item.score]).sort()).toEqual([[0, 'succeeded', 0.25], [1, 'failed', null], [2, 'succeeded', 0.5]]);
    expect(data.at(-1)).toMatchObject({ type: 'status', status: 'completed', itemsTotal: 3, itemsSucceeded: 2, itemsFailed: 1, score: { count: 2 } });
    expect(data.at(-2)).toMatchObject({ type: 'progress', status: 'completed', itemsSucceeded: 2, itemsFailed: 1, itemsInProgress: 0, score: { mean: 0.375, count: 2 } });
    expect(events.map((event) => event.envelope.correlation_id).every((c) => c === runId)).toBe(true);

    // The outbox relaying the end again (a crash before it marked the row) stores no second terminal status.
    const [row] = await dataSource.query(`SELECT id, payload FROM outbox WHERE correlation_id = $1`, [runId]);
    await app.get(RunLiveEvents).runFinished(row.id, row.payload as RunFinishedEvent);
    expect(await lastSequence(runId)).toBe(events.at(-1)!.sequence);

    // A retry goes on on the same subject, as the run's next attempt.
    await control.retry(PROJECT, runId);
    const retried = (await app.get(LiveEventReader).last(LiveSubjects.run(runId)))!;
    expect(retried.envelope.data).toMatchObject({ type: 'status', status: 'running', attempt: 2 });
    expect(data.at(-1)).toMatchObject({ attempt: 1 });
  });

  it('ends a cancelled run with its cancelled status', async () => {
    const { runId, itemIds } = await createRun('cancelled', 2);
    await completeItem(runId, itemIds[0], 1);
    await control.cancel(PROJECT, runId);
    const last = (await app.get(LiveEventReader).last(LiveSubjects.run(runId)))!;
    expect(last.envelope.data).toMatchObject({ type: 'status', status: 'cancelled', reason: 'cancelled by a user', itemsSucceeded: 1 });
  });
});
