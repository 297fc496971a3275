import { resolve } from 'node:path';
import { ApiClient, pollUntil, YardstickStack } from '@yardstick/testing';

const ROOT = resolve(__dirname, '../../..');

const ROWS = [
  { question: 'What is the capital of France?', answer: 'Paris' },
  { question: 'What is the capital of Peru?', answer: 'Lima' },
  { question: 'What is the capital of Japan?', answer: 'Tokyo' },
  { question: 'What is the capital of Kenya?', answer: 'Nairobi' },
  { question: 'What is the capital of Chile?', answer: 'Santiago' },
  { question: 'What is the capital of Ghana?', answer: 'Accra' },
];
const CSV = `question,answer\n${ROWS.map((r) => `${r.question},${r.answer}`).join('\n')}\n`;
const judge = (model: string) => ({ name: 'llm_judge', weight: 1, config: { rubric: 'Names the right city.', model } });

describe('llm_judge end to end (five services as processes, llm-sim judge models, real Postgres/NATS/Redis)', () => {
  let stack: YardstickStack;
  let api: ApiClient;
  let datasetId: string;
  let configId: string;

  beforeAll(async () => {
    stack = await new YardstickStack({ root: ROOT, simEnv: { LLM_SIM_LATENCY_MS: '5', LLM_SIM_EMBED_LATENCY_MS: '1' } }).start();
    api = new ApiClient(stack.gatewayUrl, stack.apiKey);
    const key = await fetch(`${stack.simUrl}/sim/answer-key`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ items: ROWS, replace: true }),
    });
    expect(key.status).toBe(200);
    const dataset = await api.uploadDataset('capitals', CSV);
    expect(dataset.status).toBe(201);
    datasetId = dataset.body.id;
    const config = await api.request('POST', '/configs', { name: 'plain', model: 'sim-small', prompt_template: '{{question}}', params: { temperature: 0 } });
    expect(config.status).toBe(201);
    configId = config.body.id;
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  async function runToEnd(runName: string, scorers: object[]) {
    const created = await api.request('POST', '/evaluations', { run_name: runName, dataset_id: datasetId, config_id: configId, config_version: 1, scorers });
    expect(created.status).toBe(201);
    const run = await pollUntil(`${runName} to finish`, async () => {
      const { body } = await api.request('GET', `/evaluations/${created.body.id}`);
      return body.status === 'running' ? undefined : body;
    }, { timeoutMs: 60_000, intervalMs: 250 });
    const { body: page } = await api.request('GET', `/evaluations/${run.id}/items?limit=100`);
    return { run, items: page.items as any[] };
  }

  /** Responses requests llm-sim has answered: the items' responses plus the judge's. */
  const responsesCalls = async (): Promise<number> => {
    const stats: any = await (await fetch(`${stack.simUrl}/sim/stats`)).json();
    return stats.by_endpoint.responses;
  };

  it('judges every item through llm-caller, costs the judge on the run, and serves a rerun from the cache', async () => {
    const first = await runToEnd('judged', [judge('sim-judge')]);
    expect(first.run.status).toBe('completed');
    for (const item of first.items) {
      // llm-sim's judge gives 10/10 when the output contains the reference answer, 2/10 otherwise.
      const right = item.output.toLowerCase().includes(item.ground_truth.toLowerCase());
      expect(item.scores).toEqual({ llm_judge: right ? 1 : 1 / 9 });
      expect(item.score).toBe(item.scores.llm_judge);
      expect(item.scorer_errors).toEqual({});
      const scoring = item.stages.find((s: any) => s.stage === 'scoring');
      expect(scoring.usage.total_tokens).toBeGreaterThan(0);
      expect(scoring.cost_usd).toBeGreaterThan(0);
    }
    expect(first.run.cost.scoring).toBeGreaterThan(0);
    const stageCost = first.items.reduce((sum, i) => sum + i.stages.find((s: any) => s.stage === 'scoring').cost_usd, 0);
    expect(first.run.cost.scoring).toBeCloseTo(stageCost, 9);
    expect(first.run.cost.total_cost_usd).toBeCloseTo(first.run.cost.responses + first.run.cost.embeddings + first.run.cost.scoring, 9);
    expect(await responsesCalls()).toBe(2 * ROWS.length);

    const rerun = await runToEnd('judged again', [judge('sim-judge')]);
    expect(rerun.items.map((i) => i.scores)).toEqual(first.items.map((i) => i.scores));
    for (const item of rerun.items) expect(item.stages.find((s: any) => s.stage === 'scoring')).toMatchObject({ cache_hit: true, cost_usd: 0 });
    expect(rerun.run.cost.scoring).toBe(0);
    expect(await responsesCalls()).toBe(2 * ROWS.length);
  }, 150_000);

  it('shows a nonsense judge answer as the scorer’s error on the item, never a 0, and totals the other scores', async () => {
    const { run, items } = await runToEnd('nonsense judge', [{ name: 'exact_match', weight: 1 }, judge('sim-judge-nonsense')]);
    expect(run.status).toBe('completed');
    for (const item of items) {
      expect(item.state).toBe('succeeded');
      expect(item.scores).not.toHaveProperty('llm_judge');
      expect(item.scorer_errors).toEqual({ llm_judge: { code: 'unparseable_judgement', message: expect.stringContaining('no score found') } });
      expect(item.score).toBe(item.scores.exact_match);
    }
    // The unreadable answers were still paid for.
    expect(run.cost.scoring).toBeGreaterThan(0);
  }, 90_000);

  it('refuses a judge config with a field problem when the run is created', async () => {
    const created = await api.request('POST', '/evaluations', {
      run_name: 'bad judge', dataset_id: datasetId, config_id: configId, config_version: 1,
      scorers: [{ name: 'llm_judge', config: { rubric: 'r', model: 'sim-judge', scale: '1-100' } }],
    });
    expect(created.status).toBe(400);
    expect(JSON.stringify(created.body.error)).toContain('scorers[0].config.scale');
  });
});
