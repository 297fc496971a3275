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
import {
  GenerateResponseCommand, ItemStageState, MessageEnvelope, ResponseGeneratedEvent, RunConfigSnapshot, RunMode, ScorerName, Stage, Streams, Subjects,
} from '@yardstick/contracts';
import { runMigrations } from '@yardstick/persistence';
import { loadEnvironment } from '@yardstick/service-runtime';
import { BusProbe, uniqueTestId } from '@yardstick/testing';
import { AppModule } from '../src/app.module';
import { OrchestratorEnv } from '../src/config/orchestrator.env';
import { orchestratorPersistence } from '../src/orchestrator.persistence';
import { RunCreationService } from '../src/runs/run-creation.service';
import { RunViewsRepository } from '../src/runs/run-views.repository';
import { ItemProgressService } from '../src/stages/item-progress.service';
import { ItemStageRepository } from '../src/stages/item-stage.repository';

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const PROJECT = '00000000-0000-4000-8000-0000000000aa';

const PIPELINE_CONFIG: RunConfigSnapshot = {
  configId: '00000000-0000-4000-8000-00000000c000', version: 1, model: 'sim-small', params: {}, embeddingModel: 'e',
  pipeline: [
    { name: 'extract', model: 'sim-large', promptTemplate: 'Facts for: {{ question }}', params: { temperature: 0 } },
    { name: 'answer', model: 'sim-small', promptTemplate: 'Q: {{ question }} Facts: {{ stages.extract.output | upper }}', params: {} },
  ],
};

describe('prompt pipeline steps inside the responses stage (real Postgres and NATS)', () => {
  const id = uniqueTestId('pipe');
  let app: INestApplication;
  let dataSource: DataSource;
  let progress: ItemProgressService;
  let probe: BusProbe;

  beforeAll(async () => {
    process.env.BLOB_FS_ROOT = mkdtempSync(join(tmpdir(), `${id}-`));
    const env = loadEnvironment(OrchestratorEnv, {
      DATABASE_URL, DB_SCHEMA: id, BUS_PREFIX: id, PORT: '0', RECONCILE_INTERVAL_MS: '600000', MAX_ATTEMPTS: '3',
      RETRY_BASE_DELAY_MS: '60000', RETRY_MAX_DELAY_MS: '600000',
    });
    await runMigrations(orchestratorPersistence(env));
    app = await NestFactory.create(AppModule.register(env), { logger: false });
    await app.init();
    dataSource = app.get(DataSource);
    progress = app.get(ItemProgressService);
    probe = await BusProbe.connect(id);
  }, 60_000);

  afterAll(async () => {
    await probe?.close();
    const bus = app.get(BusConnection);
    for (const stream of ['CMD', 'EVENTS', 'DLQ']) await bus.jsm.streams.delete(`${id.toUpperCase()}_${stream}`).catch(() => undefined);
    await app.close();
    const client = new Client({ connectionString: DATABASE_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${id}" CASCADE`);
    await client.end();
  });

  async function createRun(name: string): Promise<{ runId: string; itemId: string }> {
    const key = `datasets/${name}/items.jsonl`;
    await app.get<BlobStore>(BLOB_STORE).put(key, JSON.stringify({
      id: '00000000-0000-4000-8000-000000000001', index: 0, replicate: 1, question: 'capital of France?', answer: 'Paris', category: null,
    }));
    const runId = await app.get(RunCreationService).create({
      projectId: PROJECT, runName: name, runMode: RunMode.Fast,
      dataset: { id: '00000000-0000-4000-8000-00000000d000', name, itemsBlobKey: key, totalItems: 1 },
      config: PIPELINE_CONFIG, scorers: [{ name: ScorerName.CosineSimilarity, weight: 1 }],
    }, 0.5);
    await dataSource.query(`UPDATE item_stages SET state = 'in_flight', attempt = 1 WHERE run_id = $1`, [runId]);
    const [{ id: itemId }] = await dataSource.query(`SELECT id FROM run_items WHERE run_id = $1`, [runId]);
    return { runId, itemId };
  }

  const result = (runId: string, itemId: string, attempt: number, step: number, output: string, costUsd: number): ResponseGeneratedEvent => ({
    runId, projectId: PROJECT, itemId, attempt, step, model: step === 0 ? 'sim-large' : 'sim-small', output,
    usage: { inputTokens: 10, outputTokens: 5, totalTokens: 15 }, latencyMs: 7, costUsd,
  });

  const responsesRow = async (itemId: string) => (await dataSource.query(
    `SELECT state, step, attempt, retry_base, jsonb_array_length(step_outputs) AS steps, total_tokens, latency_ms, cost_usd::float8 AS cost
     FROM item_stages WHERE item_id = $1 AND stage = 'responses'`, [itemId]))[0];

  it('records each step once, dispatches the next with the earlier output, retries only the failed step, and completes on the last', async () => {
    const { runId, itemId } = await createRun('two-steps');

    await progress.recordResponse(result(runId, itemId, 1, 0, 'paris is the capital', 0.001));
    expect(await responsesRow(itemId)).toEqual({
      state: ItemStageState.InFlight, step: 1, attempt: 2, retry_base: 1, steps: 1, total_tokens: 15, latency_ms: 7, cost: 0.001,
    });
    const { body } = await probe.waitForMessage<MessageEnvelope<GenerateResponseCommand>>(
      Streams.Commands, Subjects.GenerateResponse, (m) => m.data.itemId === itemId && m.data.step === 1);
    expect(body.data).toMatchObject({ attempt: 2, model: 'sim-small', input: 'Q: capital of France? Facts: PARIS IS THE CAPITAL' });

    // Duplicates of step 0 (the same attempt, or a late older attempt) change nothing.
    await progress.recordResponse(result(runId, itemId, 1, 0, 'paris is the capital', 0.001));
    await progress.recordResponse(result(runId, itemId, 2, 0, 'paris is the capital', 0.001));
    expect(await responsesRow(itemId)).toMatchObject({ step: 1, attempt: 2, steps: 1, cost: 0.001 });

    // Step 1 fails transiently: the retry re-runs step 1 only.
    await progress.recordFailure({ runId, projectId: PROJECT, itemId, attempt: 2, stage: Stage.Responses, error: { code: 'rate_limited', message: '429', retryable: true } });
    expect(await responsesRow(itemId)).toMatchObject({ state: ItemStageState.FailedRetryable, step: 1, steps: 1 });
    await dataSource.query(`UPDATE item_stages SET next_attempt_at = now() - interval '1 second' WHERE item_id = $1`, [itemId]);
    const claimed = await app.get(ItemStageRepository).claimDue(10, 60_000);
    expect(claimed).toEqual([expect.objectContaining({ itemId, stage: Stage.Responses, attempt: 3 })]);
    expect(await responsesRow(itemId)).toMatchObject({ state: ItemStageState.InFlight, step: 1, steps: 1 });

    await progress.recordResponse(result(runId, itemId, 3, 1, 'Paris', 0.002));
    await progress.recordResponse(result(runId, itemId, 3, 1, 'Paris', 0.002)); // duplicate of the last step
    expect(await responsesRow(itemId)).toMatchObject({ state: ItemStageState.Succeeded, step: 1, steps: 2, total_tokens: 30, latency_ms: 14, cost: 0.003 });
    const [item] = await dataSource.query(`SELECT output FROM run_items WHERE id = $1`, [itemId]);
    expect(item.output).toBe('Paris');
    const stages = await dataSource.query(`SELECT stage, state FROM item_stages WHERE item_id = $1 ORDER BY stage`, [itemId]);
    expect(stages).toEqual([{ stage: 'responses', state: 'succeeded' }, { stage: 'embeddings', state: 'in_flight' }]);

    const page = await app.get(RunViewsRepository).items({ projectId: PROJECT, runId, limit: 10, offset: 0 });
    expect(page.items[0].pipelineSteps).toEqual([
      { name: 'extract', model: 'sim-large', output: 'paris is the capital', usage: { inputTokens: 10, outputTokens: 5, totalTokens: 15 }, costUsd: 0.001, latencyMs: 7, cacheHit: false },
      { name: 'answer', model: 'sim-small', output: 'Paris', usage: { inputTokens: 10, outputTokens: 5, totalTokens: 15 }, costUsd: 0.002, latencyMs: 7, cacheHit: false },
    ]);
    expect(page.items[0].costUsd).toBeCloseTo(0.003, 10);
  });

  it('parks the next step as pending while the run is paused', async () => {
    const { runId, itemId } = await createRun('paused');
    await dataSource.query(`UPDATE evaluation_runs SET status = 'paused' WHERE id = $1`, [runId]);
    await progress.recordResponse(result(runId, itemId, 1, 0, 'facts', 0.001));
    expect(await responsesRow(itemId)).toMatchObject({ state: ItemStageState.Pending, step: 1, attempt: 1, retry_base: 1, steps: 1 });
  });

  it('backs off each step\'s retries from the step\'s own attempt count, not the stage\'s overall one', async () => {
    const { runId, itemId } = await createRun('step-backoff');
    const failAt = (attempt: number) => progress.recordFailure({
      runId, projectId: PROJECT, itemId, attempt, stage: Stage.Responses, error: { code: 'rate_limited', message: '429', retryable: true },
    });
    const waitMs = async () => Number((await dataSource.query(
      `SELECT extract(epoch FROM next_attempt_at - now()) * 1000 AS ms FROM item_stages WHERE item_id = $1 AND stage = 'responses'`, [itemId]))[0].ms);

    await progress.recordResponse(result(runId, itemId, 1, 0, 'facts', 0.001));
    // Step 1 runs as attempt 2 of the stage but is its own first try: equal jitter over base · 2⁰ → 30–60 s (attempt 2 would be 60–120 s).
    await failAt(2);
    expect(await responsesRow(itemId)).toMatchObject({ state: ItemStageState.FailedRetryable, step: 1, attempt: 2, retry_base: 1 });
    const first = await waitMs();
    expect(first).toBeGreaterThan(29_000);
    expect(first).toBeLessThanOrEqual(60_000);

    // Its second try (attempt 3) backs off from 2: 60–120 s.
    await dataSource.query(`UPDATE item_stages SET next_attempt_at = now() - interval '1 second' WHERE item_id = $1`, [itemId]);
    expect(await app.get(ItemStageRepository).claimDue(10, 60_000)).toEqual([expect.objectContaining({ itemId, attempt: 3 })]);
    await failAt(3);
    const second = await waitMs();
    expect(second).toBeGreaterThan(59_000);
    expect(second).toBeLessThanOrEqual(120_000);
  });
});
