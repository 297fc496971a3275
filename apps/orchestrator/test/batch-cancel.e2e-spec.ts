import { resolve } from 'node:path';
import { Client } from 'pg';
import { ApiClient, pollUntil, YardstickStack } from '@yardstick/testing';

const ROOT = resolve(__dirname, '../../..');

interface SimBatch {
  id: string;
  status: string;
  metadata: Record<string, string> | null;
}

/**
 * Cancelling a batch run cancels its provider batch: the five services as processes, llm-sim's Batch API on a slow
 * clock (the batch stays in progress), real Postgres/NATS/Redis. Polls are a minute apart, so a prompt cancel shows the
 * run's cancel made the stage batch due at once.
 */
describe('cancelling a batch run', () => {
  let stack: YardstickStack;
  let api: ApiClient;
  let db: Client;
  let configId = '';
  const rows = Array.from({ length: 10 }, (_, i) => ({ question: `What is cancelled fact number ${i}?`, answer: `Fact ${i} is ${i * 3}.` }));

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- llm-sim answers are read loosely in tests
  const sim = async (method: string, path: string, body?: unknown): Promise<any> => {
    const response = await fetch(`${stack.simUrl}${path}`, {
      method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
    });
    expect(response.status).toBeLessThan(300);
    return response.json();
  };
  const simBatches = async (): Promise<SimBatch[]> => (await sim('GET', '/v1/batches?limit=100')).data as SimBatch[];
  const stageBatches = async (runId: string) => (await db.query(
    `SELECT id, status, provider_batch_id AS "providerBatchId", provider_status AS "providerStatus"
     FROM ${stack.schema('orchestrator')}.stage_batches WHERE run_id = $1`,
    [runId],
  )).rows;

  beforeAll(async () => {
    stack = await new YardstickStack({
      root: ROOT,
      simEnv: { LLM_SIM_BATCH_VALIDATING_MS: '50', LLM_SIM_BATCH_REQUEST_MS: '10000', LLM_SIM_BATCH_FINALIZING_MS: '50' },
      serviceEnv: {
        orchestrator: { BATCH_TICK_MS: '200', BATCH_POLL_MIN_MS: '60000', BATCH_POLL_MAX_MS: '60000', BATCH_LEASE_MS: '5000' },
      },
    }).start();
    api = new ApiClient(stack.gatewayUrl, stack.apiKey);
    db = new Client({ connectionString: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test' });
    await db.connect();
    await sim('POST', '/sim/answer-key', { items: rows, replace: true });
    const config = await api.request('POST', '/configs', { name: 'batch to cancel', model: 'sim-small', prompt_template: 'Q: {{question}}' });
    expect(config.status).toBe(201);
    configId = config.body.id;
  }, 120_000);

  afterAll(async () => {
    await db?.end();
    await stack?.stop();
  }, 60_000);

  /** Starts a batch run and waits until its provider batch is in progress: its stage batch row, `submitted`. */
  const startBatchRun = async (name: string) => {
    const dataset = await api.uploadDataset(name, `question,answer\n${rows.map((r) => `${r.question},${r.answer}`).join('\n')}\n`);
    expect(dataset.status).toBe(201);
    const created = await api.request('POST', '/evaluations', {
      run_name: name, dataset_id: dataset.body.id, config_id: configId, config_version: 1, run_mode: 'batch',
    });
    expect(created.status).toBe(201);
    const runId = created.body.id as string;
    const stageBatch = await pollUntil('the stage batch to be submitted', async () => {
      const [row] = await stageBatches(runId);
      return row?.status === 'submitted' ? row : undefined;
    }, { timeoutMs: 30_000 });
    const providerBatch = await pollUntil('the provider batch to be in progress', async () => {
      const batch = (await simBatches()).find((b) => b.id === stageBatch.providerBatchId);
      return batch?.status === 'in_progress' ? batch : undefined;
    }, { timeoutMs: 10_000 });
    expect(providerBatch.metadata).toEqual({ yardstick_stage_batch_id: stageBatch.id });
    return { runId, stageBatch };
  };
  const cancelRun = async (runId: string) => {
    const cancelled = await api.request('POST', `/evaluations/${runId}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
  };
  const providerCancelled = (providerBatchId: string) => pollUntil('the provider batch to be cancelled', async () => {
    const batch = (await simBatches()).find((b) => b.id === providerBatchId);
    return batch && ['cancelling', 'cancelled'].includes(batch.status) ? batch : undefined;
  }, { timeoutMs: 20_000 });
  const stageBatchCancelled = (runId: string) => pollUntil('the stage batch to be cancelled', async () => {
    const [row] = await stageBatches(runId);
    return row.status === 'cancelled' ? row : undefined;
  }, { timeoutMs: 10_000 });

  it('cancels the provider batch still in progress and records its status on the cancelled stage batch', async () => {
    const { runId, stageBatch } = await startBatchRun('batch to cancel');

    await cancelRun(runId);

    await providerCancelled(stageBatch.providerBatchId);
    const recorded = await stageBatchCancelled(runId);
    expect(['cancelling', 'cancelled']).toContain(recorded.providerStatus);
    expect((await api.request('GET', `/evaluations/${runId}`)).body.status).toBe('cancelled');
    expect(await stageBatches(runId)).toHaveLength(1);
  }, 120_000);

  it('keeps the stage batch open while llm-caller is down and cancels the provider batch once it is back', async () => {
    const { runId, stageBatch } = await startBatchRun('cancel with llm-caller down');
    await stack.kill('llm-caller');
    try {
      await cancelRun(runId);
      await pollUntil('the orchestrator to fail to cancel', async () => (
        stack.processes.get('orchestrator')!.logs().includes(`cancelling provider batch ${stageBatch.providerBatchId} failed`) || undefined
      ), { timeoutMs: 20_000 });

      expect((await stageBatches(runId))[0]).toMatchObject({ status: 'submitted' });
      expect((await simBatches()).find((b) => b.id === stageBatch.providerBatchId)).toMatchObject({ status: 'in_progress' });
    } finally {
      await stack.restart('llm-caller');
    }
    // As if the backoff (a minute here) had passed.
    await db.query(`UPDATE ${stack.schema('orchestrator')}.stage_batches SET next_poll_at = now() WHERE id = $1`, [stageBatch.id]);

    await providerCancelled(stageBatch.providerBatchId);
    expect((await stageBatchCancelled(runId)).providerStatus).toMatch(/^cancell(ing|ed)$/);
  }, 120_000);
});
