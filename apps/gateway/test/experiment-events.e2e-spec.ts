import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { ApiClient, YardstickStack } from '@yardstick/testing';

const ROOT = resolve(__dirname, '../../..');
const ITEMS = 10;
const CSV = `question,answer\n${Array.from({ length: ITEMS }, (_, i) => `q${i},a${i}`).join('\n')}\n`;

interface SseEvent {
  id?: number;
  event: string;
  data: any;
}

/** Reads an SSE response until the server ends it, or disconnects as soon as `until` accepts the events read so far. */
async function readEvents(url: string, headers: Record<string, string>, until?: (events: SseEvent[]) => boolean) {
  const abort = new AbortController();
  const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: abort.signal });
  const events: SseEvent[] = [];
  if (response.status !== 200) return { status: response.status, events };
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const fields = new Map<string, string>();
        for (const line of buffer.slice(0, end).split('\n')) {
          if (line.startsWith(':')) continue;
          const colon = line.indexOf(':');
          fields.set(line.slice(0, colon), line.slice(colon + 1).trimStart());
        }
        buffer = buffer.slice(end + 2);
        if (!fields.has('data')) continue;
        events.push({ id: fields.has('id') ? Number(fields.get('id')) : undefined, event: fields.get('event')!, data: JSON.parse(fields.get('data')!) });
      }
      if (until?.(events)) {
        abort.abort();
        break;
      }
    }
  } catch (error) {
    if (!abort.signal.aborted) throw error;
  }
  return { status: response.status, events };
}

describe('live experiment progress over Server-Sent Events', () => {
  let stack: YardstickStack;
  let api: ApiClient;
  let datasetId: string;
  let configId: string;
  const createExperiment = (name: string) => api.request('POST', '/experiments', {
    name, dataset_id: datasetId, config_id: configId, config_version: 1,
    parameter_space: [{ name: 'model', values: ['sim-small', 'sim-large'] }, { name: 'temperature', min: 0, max: 1, step: 1 }],
    strategy: { kind: 'grid' }, max_concurrent_runs: 1,
  });

  beforeAll(async () => {
    stack = await new YardstickStack({
      root: ROOT,
      // One config at a time, 100 ms per response: the sweep lasts a few seconds, long enough to disconnect in the middle.
      simEnv: { LLM_SIM_LATENCY_MS: '100', LLM_SIM_EMBED_LATENCY_MS: '5' },
      serviceEnv: { orchestrator: { EXPERIMENT_TICK_MS: '200', MAX_IN_FLIGHT_PER_RUN: '2' } },
    }).start();
    api = new ApiClient(stack.gatewayUrl, stack.apiKey);
    const dataset = await api.uploadDataset('live sweep', CSV);
    expect(dataset.status).toBe(201);
    datasetId = dataset.body.id;
    const config = await api.request('POST', '/configs', { name: 'live sweep', model: 'sim-small', prompt_template: '{{question}}' });
    expect(config.status).toBe(201);
    configId = config.body.id;
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  it('gives a client that disconnects mid-sweep and reconnects with Last-Event-ID every event exactly once, in order, to the end', async () => {
    const created = await createExperiment('live sweep');
    expect(created.status).toBe(201);
    const id = created.body.id;
    const path = `/experiments/${id}/events`;
    expect((await api.request('POST', `/experiments/${id}/start`)).status).toBe(200);

    // First connection: leave after the first finished config, while the sweep goes on.
    const first = await readEvents(`${stack.gatewayUrl}${path}`, stack.authHeaders(), (events) => events.some((e) => e.event === 'config_completed'));
    expect(first.status).toBe(200);
    expect(first.events[0]).toMatchObject({ event: 'experiment_status', data: { experiment_id: id, status: 'running', change: 'started' } });
    // While disconnected, the experiment is paused and resumed: the reconnecting client gets both changes.
    expect((await api.request('POST', `/experiments/${id}/pause`)).status).toBe(200);
    expect((await api.request('POST', `/experiments/${id}/resume`)).status).toBe(200);

    const lastSeen = first.events.at(-1)!.id!;
    const second = await readEvents(`${stack.gatewayUrl}${path}`, { ...stack.authHeaders(), 'last-event-id': String(lastSeen) });
    expect(second.status).toBe(200);
    expect(second.events.at(-1)).toMatchObject({
      event: 'experiment_status', data: { experiment_id: id, status: 'completed', change: 'completed', configs_completed: 4 },
    });

    // The whole history, replayed from the start after the end: the two connections together saw exactly it.
    const full = await readEvents(`${stack.gatewayUrl}${path}`, stack.authHeaders());
    const union = [...first.events, ...second.events];
    expect(union).toEqual(full.events);
    for (let i = 1; i < union.length; i += 1) expect(union[i].id!).toBeGreaterThan(union[i - 1].id!);

    expect(full.events.filter((e) => e.event === 'experiment_status').map((e) => e.data.change))
      .toEqual(['started', 'paused', 'resumed', 'completed']);
    const completed = full.events.filter((e) => e.event === 'config_completed');
    expect(completed).toHaveLength(4);
    expect(new Set(completed.map((e) => e.data.config_id)).size).toBe(4);
    for (const e of completed) {
      expect(e.data).toMatchObject({ experiment_id: id, run_status: 'completed', params: { model: expect.any(String) } });
      expect(e.data.score).toEqual(expect.any(Number));
      expect(e.data.cost_usd).toBeGreaterThan(0);
    }
    // Each new best follows its config's config_completed and beats the previous best.
    const bests = full.events.filter((e) => e.event === 'new_best');
    expect(bests.length).toBeGreaterThanOrEqual(1);
    for (const best of bests) {
      const done = full.events.findIndex((e) => e.event === 'config_completed' && e.data.config_id === best.data.config_id);
      expect(done).toBeGreaterThanOrEqual(0);
      expect(done).toBeLessThan(full.events.indexOf(best));
    }
    const bestScores = bests.map((e) => e.data.score);
    expect([...bestScores].sort((a, b) => a - b)).toEqual(bestScores);
    const { body: finalState } = await api.request('GET', `/experiments/${id}`);
    expect(full.events.at(-1)!.data).toMatchObject({ best_config_id: finalState.best.config_id, best_score: finalState.best.score });
    // The last snapshot before the terminal status counts every config done and the spending.
    expect(full.events.at(-2)).toMatchObject({
      event: 'experiment_progress', data: { status: 'completed', configs_planned: 4, configs_running: 0, configs_done: 4 },
    });
    expect(full.events.at(-2)!.data.spent.cost_usd).toBeCloseTo(finalState.spent.cost_usd, 9);

    // After the end, a reconnect with the last id is told there is nothing more (EventSource stops on 204).
    const after = await fetch(`${stack.gatewayUrl}${path}?last_event_id=${full.events.at(-1)!.id}`, { headers: stack.authHeaders() });
    expect(after.status).toBe(204);
  }, 120_000);

  it('answers 404 for an unknown experiment and for another project\'s experiment', async () => {
    const unknown = await fetch(`${stack.gatewayUrl}/experiments/${randomUUID()}/events`, { headers: stack.authHeaders() });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toEqual(expect.any(String));
    const draft = await createExperiment('not started');
    expect(draft.status).toBe(201);
    const other = await stack.createApiKey(`${stack.id}-other`, 'default');
    const foreign = await fetch(`${stack.gatewayUrl}/experiments/${draft.body.id}/events`, { headers: stack.authHeaders(other.apiKey) });
    expect(foreign.status).toBe(404);
  });
});
