import 'reflect-metadata';
import { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { GenerateResponseCommand, ItemStageState, MessageEnvelope, ResponseGeneratedEvent, RunConfigSnapshot, Stage, Streams, Subjects } from '@yardstick/contracts';
import { BusProbe } from '@yardstick/testing';
import { RunViewsRepository } from '../src/runs/run-views.repository';
import { ItemProgressService } from '../src/stages/item-progress.service';
import { ItemStageRepository } from '../src/stages/item-stage.repository';
import { OrchestratorHarness, TEST_PROJECT } from './orchestrator-harness';

const PROJECT = TEST_PROJECT;

const PIPELINE_CONFIG: RunConfigSnapshot = {
  configId: '00000000-0000-4000-8000-00000000c000', version: 1, model: 'sim-small', params: {}, embeddingModel: 'e',
  pipeline: [
    { name: 'extract', model: 'sim-large', promptTemplate: 'Facts for: {{ question }}', params: { temperature: 0 } },
    { name: 'answer', model: 'sim-small', promptTemplate: 'Q: {{ question }} Facts: {{ stages.extract.output | upper }}', params: {} },
  ],
};

describe('prompt pipeline steps inside the responses stage (real Postgres and NATS)', () => {
  const harness = new OrchestratorHarness('pipe');
  let app: INestApplication;
  let dataSource: DataSource;
  let progress: ItemProgressService;
  let probe: BusProbe;

  beforeAll(async () => {
    await harness.start({ MAX_ATTEMPTS: '3', RETRY_BASE_DELAY_MS: '60000', RETRY_MAX_DELAY_MS: '600000' });
    app = harness.app;
    dataSource = harness.dataSource;
    progress = app.get(ItemProgressService);
    probe = await BusProbe.connect(harness.id);
  }, 60_000);

  afterAll(async () => {
    await probe?.close();
    await harness.stop();
  });

  async function createRun(name: string): Promise<{ runId: string; itemId: string }> {
    const { runId, itemIds } = await harness.createRun(name, [{ question: 'capital of France?', answer: 'Paris' }], PIPELINE_CONFIG);
    return { runId, itemId: itemIds[0] };
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
