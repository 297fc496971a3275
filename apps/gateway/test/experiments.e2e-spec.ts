import { createServer, IncomingMessage, Server } from 'node:http';
import { resolve } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { parse as parseYaml } from 'yaml';
import { Streams, Subjects } from '@yardstick/contracts';
import { ApiClient, BusProbe, pollUntil, YardstickStack } from '@yardstick/testing';

const ROOT = resolve(__dirname, '../../..');
const ROWS = Array.from({ length: 10 }, (_, i) => ({
  question: `What is the code word number ${i} of the expedition?`,
  answer: `${['amber', 'basalt', 'cobalt', 'dune', 'ember'][i % 5]} ${['falcon', 'glacier', 'harbor'][i % 3]} ${i}`,
}));
const CSV = `question,answer\n${ROWS.map((r) => `"${r.question}","${r.answer}"`).join('\n')}\n`;
const PRICES = {
  'sim-small': { input: 0.15, output: 0.6 }, 'sim-large': { input: 2, output: 8 }, 'text-embedding-3-small': { input: 0.02, output: 0 },
};

/** KEY=VALUE lines (values bare or double-quoted with JSON escapes), comments skipped: what dotenv reads. */
function parseEnv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line);
    if (!match) throw new Error(`not a KEY=VALUE line: ${line}`);
    out[match[1]] = match[2].startsWith('"') ? JSON.parse(match[2]) : match[2];
  }
  return out;
}

describe('experiments end to end (sweeps over llm-sim, five services as processes)', () => {
  let stack: YardstickStack;
  let api: ApiClient;
  let probe: BusProbe;
  let datasetId: string;
  let configId: string;
  /** A webhook receiver on loopback (allowed in the stack): what the experiment's subscription is sent. */
  let receiver: Server;
  let receiverUrl = '';
  const received: Array<{ headers: IncomingMessage['headers']; raw: string; body: any }> = [];

  const experiment = (body: Record<string, unknown>) => api.request('POST', '/experiments', {
    dataset_id: datasetId, config_id: configId, prices: PRICES, ...body,
  });
  const exportText = async (id: string, format: string) => {
    const response = await fetch(`${stack.gatewayUrl}/experiments/${id}/export?format=${format}`, { headers: stack.authHeaders() });
    expect(response.status).toBe(200);
    return response.text();
  };
  const finished = (id: string, timeoutMs = 90_000) => pollUntil(`experiment ${id} to finish`, async () => {
    const { body } = await api.request('GET', `/experiments/${id}`);
    return ['completed', 'stopped', 'budget_exhausted'].includes(body.status) ? body : undefined;
  }, { timeoutMs, intervalMs: 250 });

  beforeAll(async () => {
    receiver = createServer((request, response) => {
      let raw = '';
      request.on('data', (chunk) => (raw += chunk));
      request.on('end', () => {
        received.push({ headers: request.headers, raw, body: JSON.parse(raw) });
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((done) => receiver.listen(0, '127.0.0.1', done));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;
    stack = await new YardstickStack({
      root: ROOT,
      simEnv: { LLM_SIM_LATENCY_MS: '30', LLM_SIM_EMBED_LATENCY_MS: '5' },
      serviceEnv: { orchestrator: { EXPERIMENT_TICK_MS: '300', MAX_IN_FLIGHT_PER_RUN: '2' } },
    }).start();
    api = new ApiClient(stack.gatewayUrl, stack.apiKey);
    probe = await BusProbe.connect(stack.id);
    const key = await fetch(`${stack.simUrl}/sim/answer-key`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ items: ROWS, replace: true }),
    });
    expect(key.status).toBe(200);
    const dataset = await api.uploadDataset('code words', CSV);
    expect(dataset.status).toBe(201);
    datasetId = dataset.body.id;
    const config = await api.request('POST', '/configs', {
      name: 'base', model: 'sim-small', instructions: 'Answer with the code word only.', prompt_template: 'Q: {{question}}',
      params: { temperature: 0, max_output_tokens: 32 },
    });
    expect(config.status).toBe(201);
    configId = config.body.id;
  }, 120_000);

  afterAll(async () => {
    await probe?.nc.close();
    await stack?.stop();
    await new Promise((done) => receiver?.close(done));
  }, 60_000);

  it('runs a 2 x 2 grid to completion, ranks it, announces it, and exports the best config in every format', async () => {
    const hook = await api.request('POST', '/webhooks', { url: receiverUrl, events: ['eval.experiment.*'] });
    expect(hook.status).toBe(201);
    const created = await experiment({
      name: 'grid models x temperatures',
      parameter_space: [{ name: 'model', values: ['sim-small', 'sim-large'] }, { name: 'temperature', min: 0, max: 1, step: 1 }],
      strategy: { kind: 'grid' }, max_concurrent_runs: 2,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'draft', estimate: { configs_total: 4, items_per_config: 10 } });
    expect(created.body.estimate.max_cost_usd).toBeGreaterThan(0);
    const id = created.body.id;

    expect((await api.request('POST', `/experiments/${id}/start`)).status).toBe(200);
    const done = await finished(id);
    expect(done).toMatchObject({ status: 'completed', configs: expect.any(Array) });
    expect(done.configs).toHaveLength(4);
    expect(new Set(done.configs.map((c: { config_hash: string }) => c.config_hash)).size).toBe(4);
    expect(new Set(done.configs.map((c: { run_id: string }) => c.run_id)).size).toBe(4);

    // Every config is saved as a version of the experiment's own config (version 1 = the base), once.
    const savedConfigId = created.body.saved_config_id;
    expect((await api.request('GET', `/configs/${savedConfigId}`)).body.name).toBe('experiment: grid models x temperatures');
    type SavedConfig = { config_id: string; config_version: number };
    const withVersions = await pollUntil(`experiment ${id}'s configs to be saved`, async () => {
      const { body } = await api.request('GET', `/experiments/${id}`);
      return body.configs.every((c: { saved_config: SavedConfig | null }) => c.saved_config) ? body : undefined;
    }, { timeoutMs: 10_000, intervalMs: 200 });
    const versions = (await api.request('GET', `/configs/${savedConfigId}/versions`)).body.items;
    expect(versions.map((v: { version: number }) => v.version)).toEqual([1, 2, 3, 4, 5]);
    expect(versions[0]).toMatchObject({ model: 'sim-small', experiment_config_id: null, params: { temperature: 0, max_output_tokens: 32 } });
    for (const c of withVersions.configs) {
      expect(c.saved_config.config_id).toBe(savedConfigId);
      const version = versions.find((v: { version: number }) => v.version === c.saved_config.config_version);
      expect(version).toMatchObject({
        experiment_config_id: c.id, model: c.params.model, instructions: 'Answer with the code word only.', prompt_template: 'Q: {{question}}',
        params: { temperature: c.params.temperature, max_output_tokens: 32 },
      });
    }
    const savedOf = new Map(withVersions.configs.map((c: { id: string; saved_config: SavedConfig }) => [c.id, c.saved_config]));

    const board = await api.request('GET', `/experiments/${id}/leaderboard`);
    expect(board.status).toBe(200);
    expect(board.body.formula.missing_scores).toContain('left out');
    const entries = board.body.items;
    expect(entries.map((e: { rank: number }) => e.rank)).toEqual([1, 2, 3, 4]);
    for (const e of entries) {
      expect(e).toMatchObject({ status: 'completed', items_total: 10, score: { count: 10 } });
      expect(e.score.ci95[0]).toBeLessThanOrEqual(e.score.mean);
      expect(e.cost_usd).toBeGreaterThan(0);
      expect(e.latency_ms.p95).toBeGreaterThanOrEqual(e.latency_ms.p50);
      expect(e.saved_config).toEqual(savedOf.get(e.config_id));
    }
    const means = entries.map((e: { score: { mean: number } }) => e.score.mean);
    expect([...means].sort((a, b) => b - a)).toEqual(means);
    expect(entries[0].params.model).toBe('sim-large');
    expect(done.best.score).toBe(entries[0].score.mean);

    const best = entries[0];
    const json = await api.request('GET', `/experiments/${id}/export?format=json`);
    expect(json.status).toBe(200);
    expect(json.body).toMatchObject({
      config_id: best.config_id, rank: 1, params: best.params, score: { mean: best.score.mean }, saved_config: savedOf.get(best.config_id),
    });
    expect(json.body.config).toMatchObject({ model: 'sim-large', prompt_template: 'Q: {{question}}', params: { max_output_tokens: 32 } });

    const envText = await exportText(id, 'env');
    expect(envText.startsWith('# Yardstick experiment')).toBe(true);
    expect(parseEnv(envText)).toMatchObject({
      YARDSTICK_MODEL: 'sim-large', YARDSTICK_PROMPT_TEMPLATE: 'Q: {{question}}', YARDSTICK_INSTRUCTIONS: 'Answer with the code word only.',
      YARDSTICK_TEMPERATURE: String(best.params.temperature), YARDSTICK_MAX_OUTPUT_TOKENS: '32',
    });

    const yamlText = await exportText(id, 'yaml');
    expect(parseYaml(yamlText)).toMatchObject({ config_id: best.config_id, config: json.body.config, score: json.body.score });

    const other = entries[3];
    const chosen = await api.request('GET', `/experiments/${id}/export?format=json&config=${other.config_id}`);
    expect(chosen.body).toMatchObject({ config_id: other.config_id, rank: 4 });

    const md = await exportText(id, 'md');
    expect(md).toContain('## Config space explored');
    const table = md.split('## Top configs')[1].split('\n## ')[0].split('\n').filter((line) => line.startsWith('|'));
    expect(table[0]).toContain('| Rank | model | temperature |');
    expect(table).toHaveLength(2 + 4);
    expect(table[2]).toContain('| 1 | sim-large |');
    expect(md).toContain('## Token usage, cost and timing');

    expect((await api.request('GET', `/experiments/${id}/export?format=xml`)).status).toBe(400);
    const sameName = await experiment({ name: 'grid models x temperatures', parameter_space: [{ name: 'seed', values: [1] }], strategy: { kind: 'grid' } });
    expect((await api.request('GET', `/configs/${sameName.body.saved_config_id}`)).body.name).toBe('experiment: grid models x temperatures (2)');
    expect((await api.request('POST', `/experiments/${id}/pause`)).status).toBe(409);

    type Envelope<T> = { data: T };
    const isOurs = (b: Envelope<{ experimentId: string }>) => b.data.experimentId === id;
    await probe.waitForMessage(Streams.Events, Subjects.ExperimentStarted, isOurs);
    const newBest = await probe.waitForMessage<Envelope<{ experimentId: string; configId: string }>>(Streams.Events, Subjects.ExperimentNewBest,
      (b) => isOurs(b) && b.data.configId === done.best.config_id);
    expect(newBest.body.data.configId).toBe(done.best.config_id);
    const completed = await probe.waitForMessage<Envelope<{ experimentId: string; configsCompleted: number; bestConfigId: string }>>(
      Streams.Events, Subjects.ExperimentCompleted, isOurs);
    expect(completed.body.data).toMatchObject({ configsCompleted: 4, bestConfigId: done.best.config_id });

    const ours = () => received.filter((r) => r.body.data.experiment_id === id);
    const announced = await pollUntil('the completed experiment webhook', async () => {
      const deliveries = ours();
      return deliveries.some((r) => r.body.type === 'eval.experiment.completed') && deliveries.filter((r) => r.body.type === 'eval.experiment.config_completed').length === 4
        ? deliveries : undefined;
    });
    const webhook = new Webhook(hook.body.secret);
    for (const delivery of announced) webhook.verify(delivery.raw, delivery.headers as Record<string, string>);
    expect(announced.find((r) => r.body.type === 'eval.experiment.completed')!.body.data)
      .toMatchObject({ status: 'completed', configs_completed: 4, best_config_id: done.best.config_id });
    expect(announced.map((r) => r.body.type)).toContain('eval.experiment.started');
  }, 150_000);

  it('stops with budget_exhausted before the next config could overspend, and never spends more than the budget', async () => {
    const space = [{ name: 'temperature', values: [0, 0.4, 0.8, 1.2] }];
    const probeExperiment = await experiment({ name: 'estimate only', parameter_space: space, strategy: { kind: 'grid' } });
    const perConfig = probeExperiment.body.estimate.max_cost_usd / 4;
    const budget = perConfig * 1.3;
    const created = await experiment({
      name: 'budgeted', parameter_space: space, strategy: { kind: 'grid' }, max_concurrent_runs: 1, budget: { max_cost_usd: budget },
    });
    expect(created.status).toBe(201);
    expect((await api.request('POST', `/experiments/${created.body.id}/start`)).status).toBe(200);
    const done = await finished(created.body.id);
    expect(done.status).toBe('budget_exhausted');
    expect(done.status_reason).toMatch(/budget/);
    expect(done.configs.length).toBeGreaterThanOrEqual(1);
    expect(done.configs.length).toBeLessThan(4);
    expect(done.spent.cost_usd).toBeGreaterThan(0);
    expect(done.spent.cost_usd).toBeLessThanOrEqual(budget);
  }, 120_000);

  it('rejects bad input with a 400 naming the field, and stores nothing', async () => {
    const before = (await api.request('GET', '/experiments')).body.total;
    const configsBefore = (await api.request('GET', '/configs')).body.total;
    const badRange = await experiment({ name: 'bad', parameter_space: [{ name: 'temperature', min: 0, max: 5, step: 1 }], strategy: { kind: 'grid' } });
    expect(badRange.status).toBe(400);
    expect(badRange.body.error.message).toContain('parameter_space[0].max');
    const noPrice = await api.request('POST', '/experiments', {
      dataset_id: datasetId, config_id: configId, name: 'no price', parameter_space: [{ name: 'model', values: ['sim-small', 'mystery'] }],
      strategy: { kind: 'grid' }, budget: { max_cost_usd: 1 }, prices: { 'sim-small': PRICES['sim-small'], 'text-embedding-3-small': PRICES['text-embedding-3-small'] },
    });
    expect(noPrice.status).toBe(400);
    expect(noPrice.body.error.message).toContain('prices.mystery');
    const tooBig = await experiment({
      name: 'huge', parameter_space: [{ name: 'temperature', min: 0, max: 2, step: 0.01 }, { name: 'top_p', min: 0, max: 1, step: 0.01 }],
      strategy: { kind: 'grid' },
    });
    expect(tooBig.status).toBe(400);
    expect(tooBig.body.error.message).toMatch(/more than the limit of \d+/);
    const badStrategy = await experiment({ name: 'x', parameter_space: [{ name: 'seed', values: [1] }], strategy: { kind: 'annealing' } });
    expect(badStrategy.status).toBe(400);
    expect((await api.request('GET', '/experiments')).body.total).toBe(before);
    expect((await api.request('GET', '/configs')).body.total).toBe(configsBefore);
  }, 30_000);

  it('stays paused across an orchestrator restart, then resumes and completes every config', async () => {
    // Five replicates per question: a run long enough to be paused part-way.
    const longer = await api.uploadDataset('code words x5', CSV, 5);
    expect(longer.status).toBe(201);
    const created = await api.request('POST', '/experiments', {
      dataset_id: longer.body.id, config_id: configId,
      name: 'pause and restart', parameter_space: [{ name: 'seed', values: [1, 2, 3] }], strategy: { kind: 'grid' }, max_concurrent_runs: 1,
    });
    const id = created.body.id;
    expect((await api.request('POST', `/experiments/${id}/start`)).status).toBe(200);
    const paused = await api.request('POST', `/experiments/${id}/pause`);
    expect(paused.status).toBe(200);
    expect(paused.body.status).toBe('paused');
    const runId = paused.body.configs[0].run_id;
    const runStatus = (await api.request('GET', `/evaluations/${runId}`)).body.status;
    expect(runStatus).toBe('paused');

    await stack.kill('orchestrator');
    await stack.restart('orchestrator');

    const afterRestart = await api.request('GET', `/experiments/${id}`);
    expect(afterRestart.body).toMatchObject({ status: 'paused' });
    expect(afterRestart.body.configs).toHaveLength(1);
    expect((await api.request('GET', `/evaluations/${runId}`)).body.status).toBe('paused');

    const resumed = await api.request('POST', `/experiments/${id}/resume`);
    expect(resumed.status).toBe(200);
    const done = await finished(id);
    expect(done.status).toBe('completed');
    expect(done.configs).toHaveLength(3);
    expect(done.configs.every((c: { status: string }) => c.status === 'completed')).toBe(true);
  }, 150_000);
});
