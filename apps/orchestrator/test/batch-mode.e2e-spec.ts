import { resolve } from 'node:path';
import { Client } from 'pg';
import { ApiClient, pollUntil, YardstickStack } from '@yardstick/testing';

const ROOT = resolve(__dirname, '../../..');

interface SimBatch {
  id: string;
  endpoint: string;
  status: string;
  request_counts: { total: number; completed: number; failed: number };
  metadata: Record<string, string> | null;
}

/** Batch mode end to end: the five services as processes, llm-sim's Batch API on a fast clock, real Postgres/NATS/Redis. */
describe('batch evaluation end to end', () => {
  let stack: YardstickStack;
  let api: ApiClient;
  let configId = '';
  const rows = Array.from({ length: 10 }, (_, i) => ({ question: `What is batch fact number ${i}?`, answer: `Batch fact ${i} is ${i * 11}.` }));

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- llm-sim answers are read loosely in tests
  const sim = async (method: string, path: string, body?: unknown): Promise<any> => {
    const response = await fetch(`${stack.simUrl}${path}`, {
      method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
    });
    expect(response.status).toBeLessThan(300);
    return response.json();
  };
  /** Every batch llm-sim holds, oldest first. */
  const allSimBatches = async (): Promise<SimBatch[]> => ((await sim('GET', '/v1/batches?limit=100')).data as SimBatch[]).reverse();
  /** The responses batches llm-sim holds, oldest first. */
  const simBatches = async (): Promise<SimBatch[]> => (await allSimBatches()).filter((b) => b.endpoint === '/v1/responses');

  const startRun = async (name: string, config = configId) => {
    const dataset = await api.uploadDataset(name, `question,answer\n${rows.map((r) => `${r.question},${r.answer}`).join('\n')}\n`);
    expect(dataset.status).toBe(201);
    const created = await api.request('POST', '/evaluations', {
      run_name: name, dataset_id: dataset.body.id, config_id: config, config_version: 1, run_mode: 'batch',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ run_mode: 'batch', items_total: rows.length });
    return created.body.id as string;
  };
  const finished = (runId: string) => pollUntil(`run ${runId} to finish`, async () => {
    const { body } = await api.request('GET', `/evaluations/${runId}`);
    return body.status === 'running' ? undefined : body;
  }, { timeoutMs: 90_000 });
  const items = async (runId: string) => (await api.request('GET', `/evaluations/${runId}/items?limit=100`)).body.items as any[];
  const responsesStage = (item: any) => item.stages.find((s: any) => s.stage === 'responses');

  beforeAll(async () => {
    stack = await new YardstickStack({
      root: ROOT,
      simEnv: { LLM_SIM_BATCH_VALIDATING_MS: '50', LLM_SIM_BATCH_REQUEST_MS: '5', LLM_SIM_BATCH_FINALIZING_MS: '50', LLM_SIM_EMBED_LATENCY_MS: '2' },
      serviceEnv: {
        orchestrator: {
          BATCH_TICK_MS: '200', BATCH_POLL_MIN_MS: '200', BATCH_POLL_MAX_MS: '1000', BATCH_RETRY_MODE: 'batch', BATCH_LEASE_MS: '5000',
          RECONCILE_INTERVAL_MS: '500', RETRY_BASE_DELAY_MS: '100', RETRY_MAX_DELAY_MS: '200',
        },
      },
    }).start();
    api = new ApiClient(stack.gatewayUrl, stack.apiKey);
    await sim('POST', '/sim/answer-key', { items: rows, replace: true });
    const config = await api.request('POST', '/configs', {
      name: 'batch sim-small', model: 'sim-small', instructions: 'Answer exactly.', prompt_template: 'Q: {{question}}', params: { temperature: 0 },
    });
    expect(config.status).toBe(201);
    configId = config.body.id;
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  it('completes a batch run with the failed requests listed, each result stored once and priced at the batch price', async () => {
    const before = (await simBatches()).length;
    await sim('POST', '/sim/batch-faults', { fail_rate: 0.2, fail_status: 400 });
    const run = await finished(await startRun('partial failure'));

    expect(run).toMatchObject({ status: 'completed', execution: 'batch', items_total: 10, items_succeeded: 8, items_failed: 2 });
    const created = (await simBatches()).slice(before);
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ status: 'completed', request_counts: { total: 10, completed: 8, failed: 2 } });
    const all = await items(run.id);
    const failed = all.filter((i) => i.state === 'failed');
    expect(failed).toHaveLength(2);
    for (const item of failed) expect(item.error).toMatchObject({ stage: 'responses' });
    for (const item of all.filter((i) => i.state === 'succeeded')) {
      const stage = responsesStage(item);
      expect(stage.attempt).toBe(1);
      // sim-small: $0.15 / $0.60 per 1M input / output tokens, half price in a batch.
      expect(stage.cost_usd).toBeCloseTo(((stage.usage.input_tokens * 0.15 + stage.usage.output_tokens * 0.6) / 1e6) * 0.5, 10);
      expect(item.score).not.toBeNull();
    }
    expect(run.cost.responses).toBeGreaterThan(0);
  }, 120_000);

  it('embeds a batch run\'s responses in an embeddings batch, scoring as a fast run of the same data does', async () => {
    const before = (await allSimBatches()).length;
    const batchRun = await finished(await startRun('embeddings batch'));
    const dataset = await api.uploadDataset('embeddings fast', `question,answer\n${rows.map((r) => `${r.question},${r.answer}`).join('\n')}\n`);
    const fast = await api.request('POST', '/evaluations', { run_name: 'embeddings fast', dataset_id: dataset.body.id, config_id: configId, config_version: 1 });
    expect(fast.status).toBe(201);
    const fastRun = await finished(fast.body.id);

    expect(batchRun).toMatchObject({ status: 'completed', execution: 'batch', items_succeeded: 10 });
    expect(fastRun).toMatchObject({ status: 'completed', items_succeeded: 10 });
    const created = (await allSimBatches()).slice(before);
    expect(created.map((b) => [b.endpoint, b.status, b.request_counts.total, b.request_counts.completed])).toEqual([
      ['/v1/responses', 'completed', 10, 10], ['/v1/embeddings', 'completed', 10, 10],
    ]);
    const scores = async (runId: string) => (await items(runId)).sort((a, b) => a.index - b.index).map((i) => i.score as number);
    const batchScores = await scores(batchRun.id);
    const fastScores = await scores(fastRun.id);
    expect(batchScores).toHaveLength(10);
    batchScores.forEach((score, i) => expect(score).toBeCloseTo(fastScores[i], 6));
    // Per token (how many ground truths still needed embedding depends on the earlier runs): half the fast price.
    const pricePerToken = async (runId: string) => {
      const stages = (await items(runId)).map((i) => i.stages.find((s: any) => s.stage === 'embeddings'));
      return stages.reduce((sum, s) => sum + s.cost_usd, 0) / stages.reduce((sum, s) => sum + s.usage.input_tokens, 0);
    };
    expect(await pricePerToken(batchRun.id)).toBeCloseTo((await pricePerToken(fastRun.id)) / 2, 12);
  }, 120_000);

  it('resubmits exactly the requests an expired batch left unfinished, in one follow-up batch', async () => {
    const before = (await simBatches()).length;
    await sim('POST', '/sim/batch-faults', { expire_after_requests: 6 });
    const run = await finished(await startRun('expired batch'));

    expect(run).toMatchObject({ status: 'completed', items_succeeded: 10, items_failed: 0 });
    const created = (await simBatches()).slice(before);
    expect(created.map((b) => [b.status, b.request_counts.total, b.request_counts.completed])).toEqual([['expired', 10, 6], ['completed', 4, 4]]);
    const attempts = (await items(run.id)).map((i) => responsesStage(i).attempt).sort();
    expect(attempts).toEqual([1, 1, 1, 1, 1, 1, 2, 2, 2, 2]);
    expect(run.warnings.join(' ')).toContain('expired');
  }, 120_000);

  it('resumes polling after the orchestrator is killed mid-poll, without creating a second batch', async () => {
    await sim('PUT', '/sim/batch-config', { request_ms: 400 });
    try {
      const before = (await simBatches()).length;
      const runId = await startRun('orchestrator killed');
      await pollUntil('the batch to be in progress at the provider', async () => {
        const created = (await simBatches()).slice(before);
        return created.some((b) => b.status === 'in_progress') || undefined;
      }, { timeoutMs: 30_000 });
      await stack.kill('orchestrator');
      await stack.restart('orchestrator');
      const run = await finished(runId);

      expect(run).toMatchObject({ status: 'completed', items_succeeded: 10 });
      const created = (await simBatches()).slice(before);
      expect(created).toHaveLength(1);
      expect(created[0].request_counts).toEqual({ total: 10, completed: 10, failed: 0 });
    } finally {
      await sim('PUT', '/sim/batch-config', { request_ms: 5 });
    }
  }, 120_000);
  it('finds the provider batch by its metadata when the orchestrator died between creating it and recording its id', async () => {
    await sim('PUT', '/sim/batch-config', { request_ms: 300 });
    const db = new Client({ connectionString: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test' });
    await db.connect();
    try {
      const before = (await simBatches()).length;
      const runId = await startRun('crash before record');
      await pollUntil('the batch to exist at the provider', async () => ((await simBatches()).length > before) || undefined, { timeoutMs: 30_000 });
      await stack.kill('orchestrator');
      // As if the process had died right after the provider's create: the stage batch is claimed but has no provider id.
      const forgotten = await db.query(
        `UPDATE ${stack.schema('orchestrator')}.stage_batches SET status = 'preparing', provider_batch_id = NULL, lease_until = NULL
         WHERE run_id = $1 AND stage = 'responses'`,
        [runId],
      );
      expect(forgotten.rowCount).toBe(1);
      await stack.restart('orchestrator');
      const run = await finished(runId);

      expect(run).toMatchObject({ status: 'completed', items_succeeded: 10 });
      const created = (await simBatches()).slice(before);
      expect(created).toHaveLength(1);
      const recorded = await db.query(
        `SELECT provider_batch_id, status FROM ${stack.schema('orchestrator')}.stage_batches WHERE run_id = $1 AND stage = 'responses'`, [runId],
      );
      expect(recorded.rows).toEqual([{ provider_batch_id: created[0].id, status: 'completed' }]);
      expect(stack.processes.get('orchestrator')!.logs()).toContain(`found provider batch ${created[0].id} created before a restart`);
    } finally {
      await db.end();
      await sim('PUT', '/sim/batch-config', { request_ms: 5 });
    }
  }, 120_000);

  it('fails a run whose every request failed, naming the most common error and its count', async () => {
    await sim('POST', '/sim/batch-faults', { fail_rate: 1, fail_status: 400 });
    const run = await finished(await startRun('every request failed'));

    expect(run).toMatchObject({ status: 'failed', items_failed: 10 });
    expect(run.error).toMatch(/10 of 10 items failed .*; most common error: \S+ \(10 items\)$/);
  }, 120_000);

  it('fails a run whose provider batch failed validation, saying so and leaving it retryable', async () => {
    const before = (await simBatches()).length;
    await sim('POST', '/sim/batch-faults', { fail_validation: true });
    const run = await finished(await startRun('batch failed'));

    expect(run).toMatchObject({ status: 'failed', items_failed: 10 });
    expect(run.error).toContain('most common error: batch_failed (10 items)');
    expect(run.warnings.join(' ')).toMatch(/provider batch \S+ failed .*retry the run/);
    expect((await simBatches()).slice(before).map((b) => b.status)).toEqual(['failed']);

    const retried = await api.request('POST', `/evaluations/${run.id}/retry`);
    expect(retried.status).toBe(200);
    const again = await finished(run.id);
    expect(again).toMatchObject({ status: 'completed', items_succeeded: 10, attempt: 2 });
    expect((await simBatches()).slice(before).map((b) => b.status)).toEqual(['failed', 'completed']);
  }, 120_000);

  it('runs a batch run on the fast path at standard prices when its endpoint has no Batch API, and says so', async () => {
    const endpoint = await api.request('POST', '/providers', {
      name: 'no batch api', kind: 'openai_compatible', base_url: `${stack.simUrl}/v1`, supports_batch: false,
    });
    expect(endpoint.status).toBe(201);
    const config = await api.request('POST', '/configs', {
      name: 'no batch api', model: 'sim-small', prompt_template: 'Q: {{question}}', provider_endpoint_id: endpoint.body.id,
    });
    expect(config.status).toBe(201);
    const before = (await allSimBatches()).length;
    const run = await finished(await startRun('fast fallback', config.body.id));

    expect(run).toMatchObject({ status: 'completed', execution: 'fast_fallback', items_succeeded: 10 });
    expect(run.warnings.join(' ')).toContain('no Batch API');
    expect(await allSimBatches()).toHaveLength(before);
    const stage = responsesStage((await items(run.id))[0]);
    expect(stage.cost_usd).toBeCloseTo((stage.usage.input_tokens * 0.15 + stage.usage.output_tokens * 0.6) / 1e6, 10);
  }, 120_000);
});
