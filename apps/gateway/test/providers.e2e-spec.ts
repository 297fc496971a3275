import { connect, NatsConnection } from '@nats-io/transport-node';
import { resolve } from 'node:path';
import { pollUntil, YardstickStack } from '@yardstick/testing';
import { ApiClient } from '@yardstick/testing';

const ROOT = resolve(__dirname, '../../..');
const API_KEY = 'sk-test-0123456789-SECRETKEY-wxyz';

/** Everything on the bus during the test, requests and replies included, to prove the key never travels in clear. */
async function recordBus(prefix: string): Promise<{ nc: NatsConnection; text: () => string }> {
  const nc = await connect({ servers: process.env.NATS_URL ?? 'nats://127.0.0.1:4222' });
  const seen: string[] = [];
  for (const subject of [`${prefix}.>`, '_INBOX.>']) nc.subscribe(subject, { callback: (_, m) => void seen.push(m.string()) });
  return { nc, text: () => seen.join('\n') };
}

describe('provider endpoints end to end: sealed keys, per-config endpoints, connection test, cache API', () => {
  let stack: YardstickStack;
  let api: ApiClient;
  let bus: Awaited<ReturnType<typeof recordBus>>;

  beforeAll(async () => {
    stack = new YardstickStack({
      root: ROOT,
      simEnv: { LLM_SIM_API_KEY: API_KEY, LLM_SIM_LATENCY_MS: '5' },
      serviceEnv: { 'llm-caller': { PROVIDER_API_KEY: 'sk-wrong-default-key' } },
    });
    bus = await recordBus(stack.id);
    await stack.start();
    api = new ApiClient(stack.gatewayUrl, stack.apiKey);
  }, 120_000);

  afterAll(async () => {
    await bus?.nc.close();
    await stack?.stop();
  }, 60_000);

  let simEndpointId = '';

  it('keeps the API key sealed: never shown, logged or sent on the bus, yet used to call', async () => {
    const created = await api.request('POST', '/providers', {
      name: 'sim', kind: 'openai_compatible', base_url: `${stack.simUrl}/v1`, api_key: API_KEY, supports_batch: false,
      rate_limits: { requests_per_minute: 6000 }, price_overrides: { 'sim-large': { input: 1, output: 2 } },
    });
    expect(created.status).toBe(201);
    simEndpointId = created.body.id;
    expect(created.body).toMatchObject({ name: 'sim', has_api_key: true, api_key_last4: 'wxyz', rate_limits: { requests_per_minute: 6000 } });
    expect(JSON.stringify(created.body)).not.toContain('SECRETKEY');
    expect((await api.request('POST', '/providers', { name: 'sim', kind: 'openai', base_url: 'https://example.com/v1' })).status).toBe(409);

    const tested = await api.request('POST', `/providers/${created.body.id}/test`);
    expect(tested.body).toMatchObject({ ok: true, error: null });
    expect(tested.body.models).toContain('sim-large');

    const dataset = await api.uploadDataset('d', 'question,answer\nWhat is 2+2?,Four.\nWhat is 3+3?,Six.\n');
    const config = await api.request('POST', '/configs', {
      name: 'via endpoint', model: 'sim-large', prompt_template: '{{question}}', provider_endpoint_id: created.body.id,
    });
    expect(config.status).toBe(201);
    const run = await api.request('POST', '/evaluations', { run_name: 'via endpoint', dataset_id: dataset.body.id, config_id: config.body.id, config_version: 1 });
    const done = await pollUntil('the run on the registered endpoint', async () => {
      const { body } = await api.request('GET', `/evaluations/${run.body.id}`);
      return body.status === 'running' ? undefined : body;
    }, { timeoutMs: 30_000 });
    expect(done.status).toBe('completed');
    // The endpoint's own price for sim-large (1 and 2 USD per 1M tokens) was applied.
    const { body: items } = await api.request('GET', `/evaluations/${run.body.id}/items`);
    const responses = items.items[0].stages.find((s: any) => s.stage === 'responses');
    expect(responses.cost_usd).toBeCloseTo((responses.usage.input_tokens * 1 + responses.usage.output_tokens * 2) / 1e6, 10);

    const listed = await api.request('GET', '/providers');
    expect(JSON.stringify(listed.body)).not.toContain('SECRETKEY');
    for (const [name, process] of stack.processes) expect({ name, leaked: process.logs().includes('SECRETKEY') }).toEqual({ name, leaked: false });
    expect(bus.text()).toContain('via endpoint');
    expect(bus.text()).not.toContain('SECRETKEY');
  }, 60_000);

  it('pauses a run whose provider rejects the key, and reports a failed connection test without the key', async () => {
    const dataset = await api.uploadDataset('d2', 'question,answer\nq1,a1\nq2,a2\n');
    const config = await api.request('POST', '/configs', { name: 'default endpoint', model: 'sim-large', prompt_template: '{{question}}' });
    const run = await api.request('POST', '/evaluations', { run_name: 'wrong key', dataset_id: dataset.body.id, config_id: config.body.id, config_version: 1 });
    const paused = await pollUntil('the run to pause', async () => {
      const { body } = await api.request('GET', `/evaluations/${run.body.id}`);
      return body.status === 'paused' ? body : undefined;
    }, { timeoutMs: 30_000 });
    expect(paused.paused_reason).toContain('invalid_api_key');

    const provider = await api.request('POST', '/providers', { name: 'bad key', kind: 'openai_compatible', base_url: `${stack.simUrl}/v1`, api_key: 'sk-nope' });
    const tested = await api.request('POST', `/providers/${provider.body.id}/test`);
    expect(tested.body).toMatchObject({ ok: false, error: 'the provider rejected the API key (401)' });
    const fixed = await api.request('PATCH', `/providers/${provider.body.id}`, { api_key: API_KEY });
    expect(fixed.body).toMatchObject({ has_api_key: true, api_key_last4: 'wxyz' });
    expect((await api.request('POST', `/providers/${provider.body.id}/test`)).body.ok).toBe(true);
    const removed = await api.request('PATCH', `/providers/${provider.body.id}`, { api_key: null });
    expect(removed.body).toMatchObject({ has_api_key: false, api_key_last4: null });

    expect((await api.request('DELETE', `/providers/${provider.body.id}`)).status).toBe(204);
    expect((await api.request('GET', `/providers/${provider.body.id}`)).status).toBe(404);
    const unknown = await api.request('POST', '/configs', {
      name: 'x', model: 'm', prompt_template: '{{question}}', provider_endpoint_id: provider.body.id,
    });
    expect(unknown.status).toBe(422);
  }, 60_000);

  it('reports cache statistics and clears entries by model', async () => {
    const stats = await api.request('GET', '/cache/stats');
    expect(stats.status).toBe(200);
    expect(stats.body.entries).toBeGreaterThan(0);
    expect(stats.body).toEqual(expect.objectContaining({ hits: expect.any(Number), misses: expect.any(Number), memory_bytes: expect.any(Number) }));
    const cleared = await api.request('DELETE', `/cache?endpoint_id=${simEndpointId}&model=sim-large`);
    expect(cleared.body.deleted).toBeGreaterThan(0);
    // The default endpoint's entries are shared by every project: no project clears them.
    expect((await api.request('DELETE', '/cache?model=sim-large')).status).toBe(400);
    const other = new ApiClient(stack.gatewayUrl, (await stack.createApiKey('another-org', 'other')).apiKey);
    expect((await other.request('DELETE', `/cache?endpoint_id=${simEndpointId}`)).status).toBe(404);
  }, 30_000);
});
