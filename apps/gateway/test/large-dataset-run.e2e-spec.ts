import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { ApiClient, YardstickStack } from '@yardstick/testing';

const ROOT = resolve(__dirname, '../../..');
const ITEMS = 20_000;
/** NATS's default max_payload: a run's items could never travel in one bus message. */
const NATS_MAX_PAYLOAD = 1024 * 1024;

describe('run creation over a dataset larger than one NATS message (all services as processes)', () => {
  let stack: YardstickStack;
  let api: ApiClient;
  const db = new Client({ connectionString: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test' });

  beforeAll(async () => {
    stack = await new YardstickStack({
      root: ROOT,
      // Slow answers: the run is only created here, and cancelled before it does much work.
      simEnv: { LLM_SIM_LATENCY_MS: '60000' },
      serviceEnv: { gateway: { FAST_MODE_MAX_ITEMS: String(ITEMS) } },
    }).start();
    api = new ApiClient(stack.gatewayUrl, stack.apiKey);
    await db.connect();
  }, 120_000);

  afterAll(async () => {
    await db.end();
    await stack?.stop();
  }, 60_000);

  it('creates every run item and its first stage from the items blob, streamed', async () => {
    const long = 'with a long preamble that makes each line big; '.repeat(6);
    const lines = Array.from({ length: ITEMS }, (_, i) => JSON.stringify({ question: `Q${i} ${long}`, answer: `A${i}`, category: `c${i % 4}` }));
    const dataset = await api.uploadDataset('large', `${lines.join('\n')}\n`, 1, 'large.jsonl');
    expect(dataset.status).toBe(201);
    expect(statSync(join(stack.blobRoot, `datasets/${dataset.body.id}/items.jsonl`)).size).toBeGreaterThan(4 * NATS_MAX_PAYLOAD);
    const config = await api.request('POST', '/configs', { name: 'large', model: 'sim-large', prompt_template: '{{question}}' });

    const run = await api.request('POST', '/evaluations', {
      run_name: 'large', dataset_id: dataset.body.id, config_id: config.body.id, config_version: 1, run_mode: 'fast',
    });
    expect(run.status).toBe(201);
    expect(run.body.items_total).toBe(ITEMS);
    await api.request('POST', `/evaluations/${run.body.id}/cancel`);

    const schema = stack.schema('orchestrator');
    const items = await db.query(
      `SELECT count(*)::int AS n, count(DISTINCT item_index)::int AS indexes, max(item_index) AS last,
              bool_and(question LIKE 'Q' || item_index || ' with a long preamble%' AND ground_truth = 'A' || item_index) AS exact
       FROM "${schema}".run_items WHERE run_id = $1`, [run.body.id]);
    expect(items.rows[0]).toEqual({ n: ITEMS, indexes: ITEMS, last: ITEMS - 1, exact: true });
    const stages = await db.query(`SELECT count(*)::int AS n FROM "${schema}".item_stages WHERE run_id = $1 AND stage = 'responses'`, [run.body.id]);
    expect(stages.rows[0].n).toBe(ITEMS);
  }, 120_000);
});
