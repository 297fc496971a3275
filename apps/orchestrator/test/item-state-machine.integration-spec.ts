import 'reflect-metadata';
import { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EmbeddedTextRole, ItemStageState, RunStatus, ScorerName, Stage } from '@yardstick/contracts';
import { RunCreationService } from '../src/runs/run-creation.service';
import { RunControlService } from '../src/runs/run-control.service';
import { ItemProgressService } from '../src/stages/item-progress.service';
import { numberedRows, OrchestratorHarness, TEST_PROJECT } from './orchestrator-harness';

const PROJECT = TEST_PROJECT;
const usage = { inputTokens: 10, outputTokens: 5, totalTokens: 15 };

describe('orchestrator item x stage state machine (real Postgres and NATS)', () => {
  const harness = new OrchestratorHarness('orch');
  let app: INestApplication;
  let dataSource: DataSource;
  let creation: RunCreationService;
  let progress: ItemProgressService;
  let control: RunControlService;

  beforeAll(async () => {
    await harness.start({ MAX_ATTEMPTS: '2', RETRY_BASE_DELAY_MS: '0', FAILURE_MIN_FINISHED_ITEMS: '2' });
    app = harness.app;
    dataSource = harness.dataSource;
    creation = app.get(RunCreationService);
    progress = app.get(ItemProgressService);
    control = app.get(RunControlService);
  }, 60_000);

  afterAll(async () => {
    await harness.stop();
  });

  const createRun = (name: string, questions: number) => harness.createRun(name, numberedRows(questions));

  const ref = (runId: string, itemId: string, attempt = 1) => ({ runId, projectId: PROJECT, itemId, attempt });

  async function completeItem(runId: string, itemId: string, score: number) {
    await progress.recordResponse({ ...ref(runId, itemId), model: 'sim-large', output: 'out', usage, latencyMs: 5, costUsd: 0.001 });
    await progress.recordEmbeddings({
      ...ref(runId, itemId), model: 'e', usage, latencyMs: 1, costUsd: 0.0001,
      vectors: [{ role: EmbeddedTextRole.Output, embedding: [1, 0] }, { role: EmbeddedTextRole.GroundTruth, embedding: [0, 1] }],
    });
    await progress.recordScores({ ...ref(runId, itemId), results: [{ scorer: ScorerName.CosineSimilarity, value: score }] });
  }

  it('records a replayed result once: no double cost, no second next stage, the run completes once', async () => {
    const { runId, itemIds } = await createRun('replays', 2);
    await completeItem(runId, itemIds[0], 0.2);
    await completeItem(runId, itemIds[0], 0.9); // every message delivered again, with another score
    const [first] = await dataSource.query(`SELECT score, state FROM run_items WHERE id = $1`, [itemIds[0]]);
    expect(first).toEqual({ score: 0.2, state: 'succeeded' });
    const [{ stages, cost }] = await dataSource.query(
      `SELECT count(*)::int AS stages, sum(cost_usd)::float8 AS cost FROM item_stages WHERE item_id = $1`, [itemIds[0]]);
    expect(stages).toBe(3);
    expect(cost).toBeCloseTo(0.0011, 10);

    await Promise.all([completeItem(runId, itemIds[1], 0.4), completeItem(runId, itemIds[1], 0.4)]);
    const [run] = await dataSource.query(`SELECT status, score_mean, score_count FROM evaluation_runs WHERE id = $1`, [runId]);
    expect(run).toEqual({ status: RunStatus.Completed, score_mean: expect.closeTo(0.3, 9), score_count: 2 });
    const events = await dataSource.query(`SELECT subject FROM outbox WHERE correlation_id = $1`, [runId]);
    expect(events).toEqual([{ subject: 'eval.run.completed' }]);
  });

  it('retries a transient failure, fails a permanent one, and ignores a stale attempt', async () => {
    const { runId, itemIds } = await createRun('failures', 3);
    const transient = { code: 'rate_limited', message: '429', retryable: true, retryAfterMs: 60_000 };
    await progress.recordFailure({ ...ref(runId, itemIds[0]), stage: Stage.Responses, error: transient });
    const [retrying] = await dataSource.query(
      `SELECT state, next_attempt_at > now() + interval '50 seconds' AS honours_retry_after FROM item_stages WHERE item_id = $1`, [itemIds[0]]);
    expect(retrying).toEqual({ state: ItemStageState.FailedRetryable, honours_retry_after: true });

    await progress.recordFailure({ ...ref(runId, itemIds[0], 7), stage: Stage.Responses, error: { ...transient, retryable: false } });
    const [stale] = await dataSource.query(`SELECT state FROM item_stages WHERE item_id = $1`, [itemIds[0]]);
    expect(stale.state).toBe(ItemStageState.FailedRetryable);

    const permanent = { code: 'invalid_request_error', message: 'bad', retryable: false };
    await progress.recordFailure({ ...ref(runId, itemIds[1]), stage: Stage.Responses, error: permanent });
    const states = await dataSource.query(`SELECT stage, state FROM item_stages WHERE item_id = $1 ORDER BY stage`, [itemIds[1]]);
    expect(states).toEqual([
      { stage: 'responses', state: 'failed_permanent' }, { stage: 'embeddings', state: 'cancelled' }, { stage: 'scoring', state: 'cancelled' },
    ]);
    const [item] = await dataSource.query(`SELECT state, error_code FROM run_items WHERE id = $1`, [itemIds[1]]);
    expect(item).toEqual({ state: 'failed', error_code: 'invalid_request_error' });

    // 2 of 3 failed is more than half: the run fails at once and its unfinished items are cancelled.
    await progress.recordFailure({ ...ref(runId, itemIds[2]), stage: Stage.Responses, error: permanent });
    const [run] = await dataSource.query(`SELECT status, error FROM evaluation_runs WHERE id = $1`, [runId]);
    expect(run.status).toBe(RunStatus.Failed);
    expect(run.error).toContain('2 of 3 items failed');
  });

  it('answers a duplicate run name with a conflict, not an internal error', async () => {
    await createRun('same name', 1);
    await expect(createRun('same name', 1)).rejects.toMatchObject({ code: 'run_name_conflict' });
  });

  const stageStates = async (itemId: string) =>
    dataSource.query(`SELECT stage, state, attempt FROM item_stages WHERE item_id = $1 ORDER BY stage`, [itemId]);
  const runRow = async (runId: string) =>
    (await dataSource.query(`SELECT status, paused_reason, attempt, error FROM evaluation_runs WHERE id = $1`, [runId]))[0];

  it('pauses without losing work under way, and resumes by dispatching what waited', async () => {
    const { runId, itemIds } = await createRun('pause', 2);
    await control.pause(PROJECT, runId);
    await expect(control.pause(PROJECT, runId)).rejects.toMatchObject({ code: 'conflict', details: { status: 'paused' } });
    await progress.recordResponse({ ...ref(runId, itemIds[0]), model: 'sim-large', output: 'out', usage, latencyMs: 5, costUsd: 0.001 });
    expect(await stageStates(itemIds[0])).toEqual([
      { stage: 'responses', state: 'succeeded', attempt: 1 }, { stage: 'embeddings', state: 'pending', attempt: 0 },
    ]);
    await control.resume(PROJECT, runId);
    expect(await stageStates(itemIds[0])).toEqual([
      { stage: 'responses', state: 'succeeded', attempt: 1 }, { stage: 'embeddings', state: 'in_flight', attempt: 1 },
    ]);
    expect((await runRow(runId)).status).toBe('running');
  });

  it('pauses the run when the provider says waiting would not help, keeping the item for later', async () => {
    const { runId, itemIds } = await createRun('quota', 2);
    await progress.recordFailure({
      ...ref(runId, itemIds[0]), stage: Stage.Responses, error: { code: 'insufficient_quota', message: 'no credit', retryable: false },
    });
    expect(await runRow(runId)).toMatchObject({ status: 'paused', paused_reason: expect.stringContaining('insufficient_quota') });
    expect(await stageStates(itemIds[0])).toEqual([{ stage: 'responses', state: 'pending', attempt: 1 }]);
  });

  it('cancels unfinished items, keeps finished ones, and refuses to cancel twice', async () => {
    const { runId, itemIds } = await createRun('cancel', 2);
    await completeItem(runId, itemIds[0], 0.7);
    await control.cancel(PROJECT, runId);
    expect((await runRow(runId)).status).toBe('cancelled');
    const items = await dataSource.query(`SELECT state, score FROM run_items WHERE run_id = $1 ORDER BY item_index`, [runId]);
    expect(items).toEqual([{ state: 'succeeded', score: 0.7 }, { state: 'cancelled', score: null }]);
    expect(await dataSource.query(`SELECT subject FROM outbox WHERE correlation_id = $1`, [runId])).toEqual([{ subject: 'eval.run.cancelled' }]);
    await expect(control.cancel(PROJECT, runId)).rejects.toMatchObject({ code: 'conflict', details: { status: 'cancelled' } });
  });

  it('retries only the failed and cancelled items, from the stage where each stopped', async () => {
    const { runId, itemIds } = await createRun('retry', 3);
    await expect(control.retry(PROJECT, runId)).rejects.toMatchObject({ code: 'conflict', details: { status: 'running' } });
    await completeItem(runId, itemIds[0], 0.9);
    await progress.recordResponse({ ...ref(runId, itemIds[1]), model: 'sim-large', output: 'out', usage, latencyMs: 5, costUsd: 0.001 });
    const permanent = { code: 'invalid_request_error', message: 'bad', retryable: false };
    await progress.recordFailure({ ...ref(runId, itemIds[1]), stage: Stage.Embeddings, error: permanent });
    await progress.recordFailure({ ...ref(runId, itemIds[2]), stage: Stage.Responses, error: permanent });
    expect((await runRow(runId)).status).toBe('failed');

    await control.retry(PROJECT, runId);
    expect(await runRow(runId)).toMatchObject({ status: 'running', attempt: 2, error: null });
    expect(await stageStates(itemIds[0])).toEqual([
      { stage: 'responses', state: 'succeeded', attempt: 1 }, { stage: 'embeddings', state: 'succeeded', attempt: 1 },
      { stage: 'scoring', state: 'succeeded', attempt: 1 },
    ]);
    expect(await stageStates(itemIds[1])).toEqual([
      { stage: 'responses', state: 'succeeded', attempt: 1 }, { stage: 'embeddings', state: 'in_flight', attempt: 2 },
    ]);
    expect(await stageStates(itemIds[2])).toEqual([{ stage: 'responses', state: 'in_flight', attempt: 2 }]);

    await progress.recordEmbeddings({
      ...ref(runId, itemIds[1], 2), model: 'e', usage, latencyMs: 1, costUsd: 0.0001,
      vectors: [{ role: EmbeddedTextRole.Output, embedding: [1, 0] }],
    });
    await progress.recordScores({ ...ref(runId, itemIds[1], 1), results: [{ scorer: ScorerName.CosineSimilarity, value: 0.5 }] });
    await completeItem(runId, itemIds[2], 0.1);
    expect((await runRow(runId)).status).toBe('completed');
    const events = await dataSource.query(`SELECT id FROM outbox WHERE correlation_id = $1 ORDER BY created_at`, [runId]);
    expect(events.map((e: { id: string }) => e.id)).toEqual([`${runId}:failed:1`, `${runId}:completed:2`]);
  });

  it('fails an item whose lease expired with no attempts left, instead of re-driving it forever', async () => {
    const { runId, itemIds } = await createRun('exhausted', 3);
    await dataSource.query(`UPDATE item_stages SET attempt = 2, lease_until = now() - interval '1 second' WHERE item_id = $1`, [itemIds[0]]);
    await progress.failExhaustedLeases(100);
    expect(await stageStates(itemIds[0])).toEqual([
      { stage: 'responses', state: 'failed_permanent', attempt: 2 }, { stage: 'embeddings', state: 'cancelled', attempt: 0 },
      { stage: 'scoring', state: 'cancelled', attempt: 0 },
    ]);
    const [item] = await dataSource.query(`SELECT state, error_code FROM run_items WHERE id = $1`, [itemIds[0]]);
    expect(item).toEqual({ state: 'failed', error_code: 'attempts_exhausted' });
    expect((await runRow(runId)).status).toBe('running');
  });

  it('gives a retried item a fresh attempt budget', async () => {
    const { runId, itemIds } = await createRun('budget', 1);
    const transient = { code: 'provider_error', message: '500', retryable: true };
    await progress.recordFailure({ ...ref(runId, itemIds[0]), stage: Stage.Responses, error: transient });
    await dataSource.query(`UPDATE item_stages SET state = 'in_flight', attempt = 2 WHERE item_id = $1`, [itemIds[0]]);
    await progress.recordFailure({ ...ref(runId, itemIds[0], 2), stage: Stage.Responses, error: transient });
    expect((await runRow(runId)).status).toBe('failed');
    await control.retry(PROJECT, runId);
    await progress.recordFailure({ ...ref(runId, itemIds[0], 3), stage: Stage.Responses, error: transient });
    expect(await stageStates(itemIds[0])).toEqual([{ stage: 'responses', state: 'failed_retryable', attempt: 3 }]);
  });
});
