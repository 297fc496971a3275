import { resolve } from 'node:path';
import { ApiClient, pollUntil, YardstickStack } from '@yardstick/testing';

const ROOT = resolve(__dirname, '../../..');
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

interface Operation {
  method: (typeof METHODS)[number];
  path: string;
  /** Required query parameters, and the values their schema allows. */
  query: Array<{ name: string; allowed?: unknown[] }>;
  hasBody: boolean;
  multipart: boolean;
}

function requiredQuery(parameters: Array<{ in: string; name: string; required?: boolean; schema?: { enum?: unknown[] } }> = []) {
  return parameters.filter((p) => p.in === 'query' && p.required).map((p) => ({ name: p.name, allowed: p.schema?.enum }));
}

/** Every operation of the API as the OpenAPI document describes it: new endpoints join the matrix by themselves. */
async function operations(docsUrl: string): Promise<Operation[]> {
  const document = (await (await fetch(docsUrl)).json()) as { paths: Record<string, Record<string, any>> };
  return Object.entries(document.paths).flatMap(([path, item]) =>
    METHODS.filter((method) => item[method]).map((method) => ({
      method, path: path.replace(/^\/api\/v1/, ''), query: requiredQuery(item[method].parameters),
      hasBody: Boolean(item[method].requestBody),
      multipart: Boolean(item[method].requestBody?.content?.['multipart/form-data']),
    })));
}

/** Tenant A's resources, by the path parameter or first path segment that names them. */
type ResourceIds = Record<string, string>;

/** The operation's URL on tenant A's resources: path parameters and required query parameters filled in. */
function fillPath(op: Operation, ids: ResourceIds): string {
  const collection = op.path.split('/')[1];
  const valueOf = (name: string, allowed?: unknown[]) => {
    const value = allowed?.[0] ?? (name === 'id' ? ids[collection] : ids[name]);
    if (value === undefined) throw new Error(`the isolation matrix has no tenant-A value for ${name} in ${op.path}: add one`);
    return encodeURIComponent(String(value));
  };
  const path = op.path.replace(/\{([^}]+)\}/g, (_, name: string) => valueOf(name));
  return op.query.length ? `${path}?${op.query.map((q) => `${q.name}=${valueOf(q.name, q.allowed)}`).join('&')}` : path;
}

describe('tenant isolation and hostile input across every endpoint (five services, llm-sim, real Postgres/NATS/Redis)', () => {
  let stack: YardstickStack;
  let tenantA: ApiClient;
  let tenantB: ApiClient;
  let ops: Operation[];
  const ids: ResourceIds = {};

  beforeAll(async () => {
    stack = await new YardstickStack({ root: ROOT, simEnv: { LLM_SIM_LATENCY_MS: '5' } }).start();
    tenantA = new ApiClient(stack.gatewayUrl, stack.apiKey);
    tenantB = new ApiClient(stack.gatewayUrl, (await stack.createApiKey('tenant-b', 'default')).apiKey);
    ops = await operations(stack.gatewayUrl.replace('/api/v1', '/docs/openapi.json'));

    const dataset = await tenantA.uploadDataset('a-data', 'question,answer,category\nWhat is 2+2?,Four.,math\nCapital of France?,Paris.,geo\n', 2);
    const config = await tenantA.request('POST', '/configs', { name: 'a-config', model: 'sim-large', prompt_template: '{{question}}' });
    const run = await tenantA.request('POST', '/evaluations', { run_name: 'a-run', dataset_id: dataset.body.id, config_id: config.body.id, config_version: 1 });
    const other = await tenantA.request('POST', '/evaluations', { run_name: 'a-run-2', dataset_id: dataset.body.id, config_id: config.body.id, config_version: 1 });
    const provider = await tenantA.request('POST', '/providers', { name: 'a-endpoint', kind: 'openai_compatible', base_url: `${stack.simUrl}/v1` });
    const webhook = await tenantA.request('POST', '/webhooks', { url: 'http://127.0.0.1:9/hook', events: ['eval.run.completed'] });
    const key = await tenantA.request('POST', '/api-keys', { name: 'a-key' });
    const experiment = await tenantA.request('POST', '/experiments', {
      name: 'a-sweep', dataset_id: dataset.body.id, config_id: config.body.id, config_version: 1,
      parameter_space: [{ name: 'model', values: ['sim-small', 'sim-large'] }], strategy: { kind: 'grid' },
      scorers: [{ name: 'cosine_similarity', weight: 1 }], max_concurrent_runs: 1,
    });
    for (const created of [dataset, config, run, other, provider, webhook, key, experiment]) expect(created.status).toBe(201);
    for (const runId of [run.body.id, other.body.id]) {
      await pollUntil('tenant A\'s run to finish', async () =>
        ((await tenantA.request('GET', `/evaluations/${runId}`)).body.status === 'running' ? undefined : true), { timeoutMs: 30_000 });
    }
    const items = await tenantA.request('GET', `/evaluations/${run.body.id}/items`);
    const delivery = await pollUntil('a delivery of tenant A\'s webhook', async () =>
      (await tenantA.request('GET', `/webhooks/${webhook.body.id}/deliveries`)).body.items?.[0], { timeoutMs: 30_000 });
    Object.assign(ids, {
      experiments: experiment.body.id, delivery_id: delivery.id, base: run.body.id, candidate: other.body.id, endpoint_id: provider.body.id,
      datasets: dataset.body.id, configs: config.body.id, evaluations: run.body.id, providers: provider.body.id,
      webhooks: webhook.body.id, 'api-keys': key.body.id, item_id: items.body.items[0].id, version: '1',
    });
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  it('answers 404 to tenant B for every operation on tenant A\'s resources, and changes none of them', async () => {
    const withIds = ops.filter((op) => op.path.includes('{') || op.query.length);
    expect(withIds.length).toBeGreaterThan(10);
    const outcomes = [];
    for (const op of withIds) {
      const path = fillPath(op, ids);
      const { status } = await tenantB.request(op.method.toUpperCase(), path, op.hasBody && !op.multipart ? {} : undefined);
      // A body the endpoint refuses (400) says nothing about A's resource; anything else than 404 would.
      outcomes.push({ op: `${op.method.toUpperCase()} ${op.path}`, ok: status === 404 || (op.hasBody && status === 400), status });
    }
    expect(outcomes.filter((o) => !o.ok)).toEqual([]);
    for (const collection of ['datasets', 'configs', 'evaluations', 'providers', 'webhooks', 'experiments']) {
      const { status } = await tenantA.request('GET', `/${collection}/${ids[collection]}`);
      expect({ collection, status }).toEqual({ collection, status: 200 });
    }
    expect((await tenantA.request('GET', '/projects/current')).status).toBe(200);
  }, 120_000);

  it('never lists tenant A\'s rows to tenant B', async () => {
    const lists = ops.filter((op) => op.method === 'get' && !op.path.includes('{') && !op.query.length);
    expect(lists.length).toBeGreaterThan(4);
    for (const op of lists) {
      const { status, body } = await tenantB.request('GET', op.path);
      const text = JSON.stringify(body);
      const leaked = Object.entries(ids).filter(([name, id]) => name !== 'version' && text.includes(id)).map(([name]) => name);
      expect({ path: op.path, leaked, serverError: status >= 500 }).toEqual({ path: op.path, leaked: [], serverError: false });
    }
  }, 60_000);

  it('never answers 500 to hostile bodies: wrong types, huge strings, deep nesting, unknown fields, invalid UTF-8', async () => {
    const deep = `${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}`;
    const hostile: Array<[string, string | Buffer]> = [
      ['array', '[]'], ['string', '"text"'], ['number', '42'], ['null', 'null'], ['truncated', '{"name":'],
      ['wrong types', JSON.stringify({ name: 12, model: [], prompt_template: {}, url: 5, events: 'x', run_name: true, dataset_id: 1, api_key: 3 })],
      ['huge string', JSON.stringify({ name: 'x'.repeat(300_000) })],
      ['deep nesting', deep],
      ['unknown fields', JSON.stringify({ surprise: 1, __proto__: { polluted: true }, constructor: { prototype: { x: 1 } } })],
      ['invalid UTF-8', Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"}')])],
    ];
    const writes = ops.filter((op) => op.method !== 'get' && op.method !== 'delete');
    const failures = [];
    for (const op of writes) {
      const url = `${stack.gatewayUrl}${fillPath(op, ids)}`;
      for (const [name, body] of hostile) {
        const response = await fetch(url, { method: op.method.toUpperCase(), body, headers: { ...stack.authHeaders(), 'content-type': 'application/json' } });
        const parsed = (await response.json().catch(() => undefined)) as { error?: { code?: string } } | undefined;
        // An operation without a body ignores it; one with a body must refuse all of these with the one error shape.
        const refused = response.status >= 400 && response.status < 500 && parsed?.error?.code;
        if (response.status >= 500 || (op.hasBody && !refused)) failures.push(`${op.method} ${op.path} ${name}: ${response.status}`);
      }
    }
    expect(failures).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  }, 120_000);
});
