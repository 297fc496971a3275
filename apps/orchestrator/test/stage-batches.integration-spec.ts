import 'reflect-metadata';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { BLOB_STORE, BlobStore } from '@yardstick/blob-store';
import { BusConnection } from '@yardstick/bus';
import { RunMode, ScorerName, Stage, Streams } from '@yardstick/contracts';
import { runMigrations } from '@yardstick/persistence';
import { loadEnvironment } from '@yardstick/service-runtime';
import { uniqueTestId } from '@yardstick/testing';
import { AppModule } from '../src/app.module';
import { BatchInputWriter } from '../src/batches/batch-input.writer';
import { StageBatchesRepository } from '../src/batches/stage-batches.repository';
import { OrchestratorEnv } from '../src/config/orchestrator.env';
import { ItemResultsRepository } from '../src/stages/item-results.repository';
import { ScoredPageRecorder } from '../src/stages/scored-page.recorder';
import { orchestratorPersistence } from '../src/orchestrator.persistence';
import { RunCreationService } from '../src/runs/run-creation.service';
import { ItemProgressService } from '../src/stages/item-progress.service';
import { ItemStageRepository } from '../src/stages/item-stage.repository';

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const PROJECT = '00000000-0000-4000-8000-0000000000bb';

describe('stage batches (real Postgres)', () => {
  const id = uniqueTestId('sbat');
  let app: INestApplication;
  let dataSource: DataSource;
  let batches: StageBatchesRepository;

  beforeAll(async () => {
    process.env.BLOB_FS_ROOT = mkdtempSync(join(tmpdir(), `${id}-`));
    // The poller and the reconciler stay idle: the test drives each step.
    const env = loadEnvironment(OrchestratorEnv, {
      DATABASE_URL, DB_SCHEMA: id, BUS_PREFIX: id, PORT: '0', RECONCILE_INTERVAL_MS: '600000', BATCH_TICK_MS: '600000', BATCH_MAX_BYTES: '1024', RETRY_BASE_DELAY_MS: '0',
    });
    await runMigrations(orchestratorPersistence(env));
    app = await NestFactory.create(AppModule.register(env), { logger: false });
    await app.init();
    dataSource = app.get(DataSource);
    batches = app.get(StageBatchesRepository);
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

  async function createBatchRun(name: string, items: number): Promise<string> {
    const key = `datasets/${name}/items.jsonl`;
    await app.get<BlobStore>(BLOB_STORE).put(key, Array.from({ length: items }, (_, index) => JSON.stringify({
      id: `00000000-0000-4000-8000-${String(index + 1).padStart(12, '0')}`, index, replicate: 1, question: `question ${index}`, answer: `a${index}`, category: null,
    })).join('\n'));
    return app.get(RunCreationService).create({
      projectId: PROJECT, runName: name, runMode: RunMode.Batch,
      dataset: { id: '00000000-0000-4000-8000-00000000d001', name, itemsBlobKey: key, totalItems: items },
      config: { configId: '00000000-0000-4000-8000-00000000c001', version: 1, model: 'sim-small', promptTemplate: 'Q: {{question}}', params: {}, embeddingModel: 'e' },
      scorers: [{ name: ScorerName.CosineSimilarity, weight: 1 }],
    }, 0.5);
  }

  const runToBatch = async (runId: string) => (await batches.runsToBatch(100)).find((r) => r.id === runId)!;

  it('leaves a batch run\'s responses to the batch poller: the fast path claims none of them', async () => {
    const runId = await createBatchRun('not fast', 3);
    expect(await app.get(ItemStageRepository).claimPending(runId, 100, 60_000)).toEqual([]);
    expect(await runToBatch(runId)).toMatchObject({ id: runId, attempt: 1 });
  });

  it('splits a stage into batches of at most the request limit, each item in exactly one, with two replicas opening at once', async () => {
    const runId = await createBatchRun('split', 10);
    const run = await runToBatch(runId);
    const opened: Array<{ id: string; requestCount: number }> = [];
    for (;;) {
      const both = await Promise.all([batches.open(run, 'sim-small', 'fast', 4, 60_000), batches.open(run, 'sim-small', 'fast', 4, 60_000)]);
      const won = both.filter((b): b is { id: string; requestCount: number } => b !== null);
      if (!won.length) break;
      opened.push(...won);
    }
    expect(opened.map((b) => b.requestCount)).toEqual([4, 4, 2]);
    const rows: Array<{ sequence: number; request_count: number; items: number }> = await dataSource.query(
      `SELECT b.sequence, b.request_count, (SELECT count(*)::int FROM item_stages s WHERE s.stage_batch_id = b.id AND s.state = 'in_flight' AND s.attempt = 1) AS items
       FROM stage_batches b WHERE b.run_id = $1 ORDER BY b.sequence`,
      [runId],
    );
    expect(rows).toEqual([{ sequence: 1, request_count: 4, items: 4 }, { sequence: 2, request_count: 4, items: 4 }, { sequence: 3, request_count: 2, items: 2 }]);
  });

  it('writes the input as JSONL up to the byte limit and returns the rest to pending for the next batch', async () => {
    const runId = await createBatchRun('bytes', 10);
    const opened = await batches.open(await runToBatch(runId), 'sim-small', 'fast', 50_000, 60_000);
    expect(opened?.requestCount).toBe(10);
    const [batch] = (await batches.claimDue(100, 60_000)).filter((b) => b.id === opened!.id);
    const written = await app.get(BatchInputWriter).write(batch);

    const lines = (await app.get<BlobStore>(BLOB_STORE).getBuffer(written.key)).toString().trim().split('\n');
    expect(lines).toHaveLength(written.requests);
    expect(written.requests).toBeGreaterThan(0);
    expect(written.requests).toBeLessThan(10);
    expect(Buffer.byteLength(lines.join('\n') + '\n')).toBeLessThanOrEqual(1024);
    expect(JSON.parse(lines[0])).toMatchObject({ method: 'POST', url: '/v1/responses', body: { model: 'sim-small', input: expect.stringMatching(/^Q: question \d$/) } });
    const states: Array<{ state: string; attempt: number; n: number }> = await dataSource.query(
      `SELECT state, attempt, count(*)::int AS n FROM item_stages WHERE run_id = $1 GROUP BY state, attempt ORDER BY state::text`, [runId],
    );
    expect(states).toEqual([{ state: 'in_flight', attempt: 1, n: written.requests }, { state: 'pending', attempt: 0, n: 10 - written.requests }]);
    expect((await dataSource.query(`SELECT request_count FROM stage_batches WHERE id = $1`, [batch.id]))[0].request_count).toBe(written.requests);
  });
  it('retries a failed batch request in a follow-up batch (retry mode batch) or on the fast path (retry mode fast), never both', async () => {
    const failOne = async (runId: string, retryMode: 'batch' | 'fast') => {
      const opened = await batches.open(await runToBatch(runId), 'sim-small', retryMode, 50_000, 600_000);
      const [row]: Array<{ item_id: string }> = await dataSource.query(`SELECT item_id FROM item_stages WHERE stage_batch_id = $1`, [opened!.id]);
      await app.get(ItemProgressService).recordFailure({
        runId, projectId: PROJECT, itemId: row.item_id, attempt: 1, stage: Stage.Responses,
        error: { code: 'batch_expired', message: 'expired', retryable: true },
      });
      return row.item_id;
    };
    const inBatch = await failOne(await createBatchRun('retry in batch', 1), 'batch');
    const onFast = await failOne(await createBatchRun('retry fast', 1), 'fast');
    await dataSource.query(`UPDATE item_stages SET next_attempt_at = now() WHERE item_id = ANY($1)`, [[inBatch, onFast]]);

    const redriven = await app.get(ItemStageRepository).claimDue(500, 60_000);
    expect(redriven.map((w) => w.itemId)).toEqual([onFast]);
    const inBatchRun = (await dataSource.query(`SELECT run_id FROM item_stages WHERE item_id = $1`, [inBatch]))[0].run_id;
    const followUp = await batches.open(await runToBatch(inBatchRun), 'sim-small', 'batch', 50_000, 600_000);
    expect(followUp?.requestCount).toBe(1);
    const [row] = await dataSource.query(
      `SELECT s.state, s.attempt, b.sequence FROM item_stages s JOIN stage_batches b ON b.id = s.stage_batch_id WHERE s.item_id = $1`, [inBatch],
    );
    expect(row).toEqual({ state: 'in_flight', attempt: 2, sequence: 2 });
  });
  it('records a page of batch results in one statement and claims their embeddings; the same page again counts nothing twice', async () => {
    const runId = await createBatchRun('bulk', 4);
    const opened = await batches.open(await runToBatch(runId), 'sim-small', 'fast', 50_000, 600_000);
    const items: Array<{ item_id: string }> = await dataSource.query(`SELECT item_id FROM item_stages WHERE stage_batch_id = $1 ORDER BY item_id`, [opened!.id]);
    const page = items.map(({ item_id }, index) => ({
      itemId: item_id, output: `answer's "${index}"`, usage: { inputTokens: 10, outputTokens: 5, totalTokens: 15 }, costUsd: 0.0001,
      record: { name: 'main', model: 'sim-small', input_tokens: 10, output_tokens: 5, total_tokens: 15, cost_usd: 0.0001, latency_ms: 0, cache_hit: false },
    }));
    const progress = app.get(ItemProgressService);

    expect(await progress.recordResponses(page)).toBe(4);
    expect(await progress.recordResponses(page)).toBe(0);
    expect(await progress.recordResponses([...page.slice(0, 2), ...page.slice(0, 2)])).toBe(0);

    const responses = await dataSource.query(
      `SELECT count(*)::int AS n, sum(cost_usd)::float AS cost, sum(total_tokens)::int AS tokens, sum(jsonb_array_length(step_outputs))::int AS records
       FROM item_stages WHERE run_id = $1 AND stage = 'responses' AND state = 'succeeded'`, [runId],
    );
    expect(responses).toEqual([{ n: 4, cost: 0.0004, tokens: 60, records: 4 }]);
    const embeddings = await dataSource.query(
      `SELECT state, attempt, count(*)::int AS n FROM item_stages WHERE run_id = $1 AND stage = 'embeddings' GROUP BY state, attempt`, [runId],
    );
    expect(embeddings).toEqual([{ state: 'in_flight', attempt: 1, n: 4 }]);
    const outputs: Array<{ output: string }> = await dataSource.query(`SELECT output FROM run_items WHERE run_id = $1 ORDER BY id`, [runId]);
    expect(outputs.map((o) => o.output)).toEqual(page.map((p) => p.output));
  });
  it('claims a responses batch\'s recorded items into the one embeddings batch it feeds, written as /v1/embeddings requests', async () => {
    const runId = await createBatchRun('fed', 3);
    const opened = await batches.open(await runToBatch(runId), 'sim-small', 'fast', 50_000, 600_000);
    const [source] = (await batches.claimDue(100, 60_000)).filter((b) => b.id === opened!.id);
    const fedId = await batches.openFed(source, 'e', 'fast');
    expect(await batches.openFed(source, 'e', 'fast')).toBe(fedId);
    expect((await batches.claimDue(100, 60_000)).map((b) => b.id)).not.toContain(fedId);
    const items: Array<{ item_id: string }> = await dataSource.query(`SELECT item_id FROM item_stages WHERE stage_batch_id = $1 ORDER BY item_id`, [source.id]);
    const page = items.map(({ item_id }) => ({
      itemId: item_id, output: 'out', usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 }, costUsd: 0,
      record: { name: 'main', model: 'sim-small', input_tokens: 1, output_tokens: 1, total_tokens: 2, cost_usd: 0, latency_ms: 0, cache_hit: false },
    }));
    const progress = app.get(ItemProgressService);
    expect(await progress.recordResponses(page, { id: fedId, leaseMs: 600_000 })).toBe(3);
    expect(await progress.recordResponses(page, { id: fedId, leaseMs: 600_000 })).toBe(0);

    expect(await batches.seal(fedId)).toBe(3);
    const [fed] = (await batches.claimDue(100, 60_000)).filter((b) => b.id === fedId);
    expect(fed).toMatchObject({ stage: 'embeddings', model: 'e', requestCount: 3, status: 'preparing' });
    const written = await app.get(BatchInputWriter).write(fed);
    const lines = (await app.get<BlobStore>(BLOB_STORE).getBuffer(written.key)).toString().trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    expect(lines[0]).toEqual({
      custom_id: `${items[0].item_id}:embeddings:1`, method: 'POST', url: '/v1/embeddings',
      body: { model: 'e', input: ['out', expect.stringMatching(/^a\d$/)], encoding_format: 'base64' },
    });

    const vectors = items.map(({ item_id }) => ({
      itemId: item_id, outputEmbedding: Float32Array.from([0.5, 0.25]), groundTruthEmbedding: Float32Array.from([0.5, -0.125]), usage: { inputTokens: 4, outputTokens: 0, totalTokens: 4 }, costUsd: 0.001,
    }));
    expect(await progress.recordEmbeddingsPage('e', vectors)).toBe(3);
    expect(await progress.recordEmbeddingsPage('e', vectors)).toBe(0);
    const stages = await dataSource.query(
      `SELECT stage, state, attempt, count(*)::int AS n, sum(cost_usd)::float AS cost FROM item_stages
       WHERE run_id = $1 AND stage IN ('embeddings', 'scoring') GROUP BY stage, state, attempt ORDER BY stage`, [runId],
    );
    expect(stages).toEqual([
      { stage: 'embeddings', state: 'succeeded', attempt: 1, n: 3, cost: 0.003 }, { stage: 'scoring', state: 'in_flight', attempt: 1, n: 3, cost: 0 },
    ]);
    const stored = await dataSource.query(
      `SELECT i.output_embedding, g.embedding FROM run_items i JOIN ground_truth_embeddings g ON g.dataset_item_id = i.dataset_item_id WHERE i.run_id = $1`, [runId],
    );
    expect(stored).toEqual(Array(3).fill({ output_embedding: [0.5, 0.25], embedding: [0.5, -0.125] }));

    // The scoring claimed above is answered a page at a time: two items scored, one that could not be; recorded once.
    const blobs = app.get<BlobStore>(BLOB_STORE);
    const pageId = randomUUID();
    const keys = { inputBlobKey: `score-pages/${runId}/${pageId}/input.jsonl`, resultsBlobKey: `score-pages/${runId}/${pageId}/results.jsonl` };
    const [scored1, scored2, unscorable] = items.map(({ item_id }) => item_id);
    await blobs.put(keys.inputBlobKey, '{}\n');
    await blobs.put(keys.resultsBlobKey, [
      { itemId: scored1, attempt: 1, results: [{ scorer: ScorerName.CosineSimilarity, value: 1, passed: true }] },
      { itemId: scored2, attempt: 1, results: [{ scorer: ScorerName.CosineSimilarity, value: 0, passed: false }], warnings: ['judge cache unreachable'] },
      { itemId: unscorable, attempt: 1, results: [], failure: { code: 'scorer_error', message: 'dimensions differ', retryable: false } },
    ].map((line) => `${JSON.stringify(line)}\n`).join(''));
    const event = { runId, projectId: PROJECT, pageId, itemCount: 3, ...keys };
    await app.get(ScoredPageRecorder).record(event);
    await app.get(ScoredPageRecorder).record(event);
    const finished = await dataSource.query(
      `SELECT i.id, i.state, i.score, i.scores, i.verdicts, i.error_code AS "errorCode", s.state AS scoring FROM run_items i
       JOIN item_stages s ON s.item_id = i.id AND s.stage = 'scoring' WHERE i.run_id = $1`, [runId],
    );
    const byId = new Map(finished.map((row: { id: string }) => [row.id, row]));
    expect(byId.get(scored1)).toMatchObject({ state: 'succeeded', score: 1, scores: { [ScorerName.CosineSimilarity]: 1 }, verdicts: { [ScorerName.CosineSimilarity]: true }, scoring: 'succeeded' });
    expect(byId.get(scored2)).toMatchObject({ state: 'succeeded', score: 0, verdicts: { [ScorerName.CosineSimilarity]: false }, scoring: 'succeeded' });
    expect(byId.get(unscorable)).toMatchObject({ state: 'failed', errorCode: 'scorer_error', scoring: 'failed_permanent' });
    const [{ warnings }] = await dataSource.query(`SELECT warnings FROM evaluation_runs WHERE id = $1`, [runId]);
    expect(warnings).toContain('judge cache unreachable');
    // Recorded again (a redelivery before the blobs were deleted): no row is in flight any more, nothing changes.
    const again = { itemId: scored1, score: 0, scores: {}, scorerErrors: {}, verdicts: {}, outcome: null };
    expect(await app.get(ItemResultsRepository).recordScoresPage([again])).toEqual([]);
    expect(await blobs.exists(keys.inputBlobKey)).toBe(false);
    expect(await blobs.exists(keys.resultsBlobKey)).toBe(false);
  });
});
