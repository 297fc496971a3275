import OpenAI from 'openai';
import { llmSimOptionsFromEnv } from './llm-sim.env';
import { startLlmSim, type LlmSimHandle } from './llm-sim.server';
import { RequestLog, type RequestLogJson } from './request-log';
import type { SimStatsJson } from './sim-stats';

const getJson = async <T>(sim: LlmSimHandle, path: string): Promise<T> => (await (await fetch(`${sim.url}${path}`)).json()) as T;

describe(RequestLog.name, () => {
  let sim: LlmSimHandle | undefined;
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });

  it('records nothing unless a limit is set', async () => {
    sim = await startLlmSim({ port: 0 });
    await new OpenAI({ baseURL: sim.baseURL, apiKey: 'x', maxRetries: 0 }).responses.create({ model: 'm', input: 'hi' });
    expect(await getJson<RequestLogJson>(sim, '/sim/requests')).toEqual({ limit: 0, dropped: 0, requests: [] });
  });

  it('lists each request of a fingerprint with its arrival time and outcome, and clears on reset', async () => {
    sim = await startLlmSim({ port: 0, requestLogLimit: 100, fault429Rate: 1, retryAfterMs: 50 });
    const client = new OpenAI({ baseURL: sim.baseURL, apiKey: 'x', maxRetries: 0 });
    const before = Date.now();
    await client.responses.create({ model: 'm', input: 'same' }).catch(() => undefined);
    await fetch(`${sim.url}/sim/config`, { method: 'PUT', body: JSON.stringify({ faults: { rate_429: 0 } }) });
    await client.responses.create({ model: 'm', input: 'same' });
    await client.embeddings.create({ model: 'e', input: 'other' });

    const stats = await getJson<SimStatsJson>(sim, '/sim/stats');
    const [fingerprint] = Object.entries(stats.by_fingerprint).find(([, n]) => n === 2)!;
    const log = await getJson<RequestLogJson>(sim, `/sim/requests?fingerprint=${fingerprint}`);
    expect(log.requests.map((r) => [r.endpoint, r.outcome])).toEqual([['responses', 429], ['responses', 200]]);
    expect(log.requests[0].at_ms).toBeGreaterThanOrEqual(before - 1);
    expect(log.requests[1].at_ms).toBeGreaterThan(log.requests[0].at_ms);
    expect((await getJson<RequestLogJson>(sim, '/sim/requests')).requests).toHaveLength(3);

    await fetch(`${sim.url}/sim/reset`, { method: 'POST' });
    expect((await getJson<RequestLogJson>(sim, '/sim/requests')).requests).toEqual([]);
  });

  it('keeps only the latest `limit` requests and counts the dropped ones', () => {
    const log = new RequestLog(4);
    for (let i = 0; i < 10; i++) log.record('embeddings', `f${i}`);
    const json = log.toJson();
    expect(json.requests.map((r) => r.fingerprint)).toEqual(['f6', 'f7', 'f8', 'f9']);
    expect(json.dropped).toBe(6);
  });

  it('reads LLM_SIM_REQUEST_LOG_LIMIT', () => {
    expect(llmSimOptionsFromEnv({ LLM_SIM_REQUEST_LOG_LIMIT: '5000' }).requestLogLimit).toBe(5000);
    expect(() => llmSimOptionsFromEnv({ LLM_SIM_REQUEST_LOG_LIMIT: '-1' })).toThrow(/LLM_SIM_REQUEST_LOG_LIMIT/);
  });
});
