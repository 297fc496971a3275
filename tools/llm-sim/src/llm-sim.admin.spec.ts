import OpenAI from 'openai';
import { startLlmSim, type LlmSimHandle } from './llm-sim.server';
import type { SimStatsJson } from './sim-stats';

const admin = async (sim: LlmSimHandle, method: string, path: string, body?: unknown) => {
  const res = await fetch(`${sim.url}${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

describe('llm-sim faults, stats and admin', () => {
  let sim: LlmSimHandle;
  let client: OpenAI;

  beforeEach(async () => {
    sim = await startLlmSim({ port: 0 });
    client = new OpenAI({ baseURL: sim.baseURL, apiKey: 'x', maxRetries: 0 });
  });
  afterEach(() => sim.close());

  it('injects 429 as RateLimitError with retry-after headers', async () => {
    await sim.close();
    sim = await startLlmSim({ port: 0, fault429Rate: 1, retryAfterMs: 1500 });
    client = new OpenAI({ baseURL: sim.baseURL, apiKey: 'x', maxRetries: 0 });
    const error = await client.responses.create({ model: 'sim-large', input: 'hi' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    const rateLimit = error as InstanceType<typeof OpenAI.RateLimitError>;
    expect(rateLimit.headers.get('retry-after')).toBe('2');
    expect(rateLimit.headers.get('retry-after-ms')).toBe('1500');
    expect(rateLimit.code).toBe('rate_limit_exceeded');
    expect((await admin(sim, 'GET', '/sim/stats')).body.faults).toEqual({ '429': 1, '500': 0, '400': 0, hang: 0 });
  });

  it('switches faults at runtime through PUT /sim/config', async () => {
    await admin(sim, 'PUT', '/sim/config', { faults: { rate_500: 1 } });
    await expect(client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }] })).rejects.toBeInstanceOf(
      OpenAI.InternalServerError,
    );
    await admin(sim, 'PUT', '/sim/config', { faults: { rate_500: 0, rate_400: 1 } });
    await expect(client.embeddings.create({ model: 'e', input: 'x' })).rejects.toBeInstanceOf(OpenAI.BadRequestError);
    await admin(sim, 'PUT', '/sim/config', { faults: { rate_400: 0 } });
    await expect(client.embeddings.create({ model: 'e', input: 'x' })).resolves.toBeDefined();
  });

  it('hangs until the SDK timeout cuts the request', async () => {
    await admin(sim, 'PUT', '/sim/config', { faults: { rate_hang: 1 } });
    const started = Date.now();
    // Plain Node gives APIConnectionTimeoutError; under Jest the abort error comes from another realm and
    // the SDK falls back to its parent class, so the test asserts the parent and the elapsed time.
    await expect(client.responses.create({ model: 'm', input: 'x' }, { timeout: 200 })).rejects.toBeInstanceOf(
      OpenAI.APIConnectionError,
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(((await admin(sim, 'GET', '/sim/stats')).body as unknown as SimStatsJson).faults.hang).toBe(1);
  });

  it('counts calls per endpoint, model and fingerprint, and repeats', async () => {
    const ask = (input: string) => client.responses.create({ model: 'sim-small', input });
    await Promise.all([ask('same'), ask('same'), ask('other')]);
    await client.chat.completions.create({ model: 'sim-large', messages: [{ role: 'user', content: 'x' }] });
    await client.embeddings.create({ model: 'text-embedding-3-small', input: 'x' });
    await client.models.list();
    const stats = (await admin(sim, 'GET', '/sim/stats')).body as unknown as SimStatsJson;
    expect(stats.total).toBe(6);
    expect(stats.by_endpoint).toEqual({ responses: 3, chat_completions: 1, embeddings: 1, models: 1 });
    expect(stats.by_model).toEqual({ 'sim-small': 3, 'sim-large': 1, 'text-embedding-3-small': 1 });
    expect(Object.values(stats.by_fingerprint).sort()).toEqual([1, 1, 1, 2]);
    expect(stats.by_fingerprint_succeeded).toEqual(stats.by_fingerprint);
    expect(stats.repeated_fingerprints).toBe(1);
    await admin(sim, 'POST', '/sim/reset');
    expect((await admin(sim, 'GET', '/sim/stats')).body).toMatchObject({ total: 0, by_fingerprint: {}, repeated_fingerprints: 0 });
  });

  it('loads an answer key at runtime and counts correct and wrong answers', async () => {
    const added = await admin(sim, 'POST', '/sim/answer-key', { items: [{ question: 'Capital of Peru?', answer: 'Lima' }], replace: true });
    expect(added.body).toEqual({ count: 1, added: 1 });
    await admin(sim, 'PUT', '/sim/config', { accuracy: { 'sim-large': 1, 'sim-small': 0 } });
    expect((await client.responses.create({ model: 'sim-large', input: 'Capital of Peru?' })).output_text).toBe('Lima');
    expect((await client.responses.create({ model: 'sim-small', input: 'Capital of Peru?' })).output_text).not.toContain('Lima');
    expect((await admin(sim, 'GET', '/sim/stats')).body).toMatchObject({ correct_answers: 1, wrong_answers: 1 });
    expect((await admin(sim, 'POST', '/sim/answer-key', { items: [{ question: 1 }] })).status).toBe(400);
  });

  it('reports and validates the runtime config', async () => {
    const initial = await admin(sim, 'GET', '/sim/config');
    expect(initial.body).toEqual({
      latency: { responses_ms: 0, responses_jitter_ms: 0, embeddings_ms: 0 },
      faults: { rate_429: 0, rate_500: 0, rate_400: 0, rate_hang: 0, retry_after_ms: 1000 },
      accuracy: { 'sim-large': 0.9, 'sim-small': 0.6, '*': 0.75 },
    });
    const rejected = await admin(sim, 'PUT', '/sim/config', { faults: { rate_429: 3 } });
    expect(rejected.status).toBe(400);
    expect(rejected.body.error).toMatchObject({ type: 'invalid_request_error', param: 'faults.rate_429' });
    expect((await admin(sim, 'GET', '/healthz')).body).toEqual({ status: 'ok' });
  });

  it('waits the configured latency without blocking concurrent requests', async () => {
    await admin(sim, 'PUT', '/sim/config', { latency: { responses_ms: 150, responses_jitter_ms: 20 } });
    const started = Date.now();
    await Promise.all(Array.from({ length: 300 }, (_, i) => client.responses.create({ model: 'm', input: `q${i}` })));
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(150);
    // Served one after another the 300 requests would take 45 s: a tenth of that proves they overlap, with room for a busy CI machine.
    expect(elapsed).toBeLessThan((300 * 150) / 10);
  });

  it('requires the API key on /v1 when one is configured', async () => {
    await sim.close();
    sim = await startLlmSim({ port: 0, apiKey: 'secret' });
    const wrong = new OpenAI({ baseURL: sim.baseURL, apiKey: 'nope', maxRetries: 0 });
    await expect(wrong.models.list()).rejects.toMatchObject({ status: 401, code: 'invalid_api_key' });
    await expect(wrong.models.list()).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
    const right = new OpenAI({ baseURL: sim.baseURL, apiKey: 'secret', maxRetries: 0 });
    await expect(right.responses.create({ model: 'm', input: 'x' })).resolves.toMatchObject({ status: 'completed' });
    expect((await admin(sim, 'GET', '/healthz')).status).toBe(200);
  });
});
