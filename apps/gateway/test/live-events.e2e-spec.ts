import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { Streams } from '@yardstick/contracts';
import { ApiClient, BusProbe, freePort, pollUntil, ServiceProcess, YardstickStack } from '@yardstick/testing';

const ROOT = resolve(__dirname, '../../..');
const ITEMS = 40;

interface SseEvent {
  id?: number;
  event: string;
  data: any;
}

/**
 * Reads an SSE response over plain HTTP. Stops when the server ends the stream, or disconnects (aborts) as soon as
 * `until` accepts the events read so far.
 */
async function readEvents(url: string, headers: Record<string, string>, until?: (events: SseEvent[]) => boolean) {
  const abort = new AbortController();
  const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: abort.signal });
  const events: SseEvent[] = [];
  if (response.status !== 200) return { status: response.status, events, retry: undefined as number | undefined };
  const decoder = new TextDecoder();
  let buffer = '';
  let retry: number | undefined;
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const fields = new Map<string, string>();
        for (const line of frame.split('\n')) {
          if (line.startsWith(':')) continue;
          const colon = line.indexOf(':');
          fields.set(line.slice(0, colon), line.slice(colon + 1).trimStart());
        }
        if (fields.has('retry')) retry = Number(fields.get('retry'));
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
  return { status: response.status, events, retry };
}

describe('live progress over Server-Sent Events', () => {
  let stack: YardstickStack;
  let api: ApiClient;
  let secondGateway: ServiceProcess;
  let secondGatewayUrl = '';

  beforeAll(async () => {
    stack = await new YardstickStack({
      root: ROOT,
      // Four items at a time, 200 ms per response: the run lasts a few seconds, long enough to disconnect in the middle.
      simEnv: { LLM_SIM_LATENCY_MS: '200', LLM_SIM_EMBED_LATENCY_MS: '5' },
      serviceEnv: { orchestrator: { MAX_IN_FLIGHT_PER_RUN: '4' } },
    }).start();
    api = new ApiClient(stack.gatewayUrl, stack.apiKey);
    // A second gateway replica on the same deployment: a reconnect may land on any replica.
    const port = await freePort();
    secondGateway = new ServiceProcess('gateway-2', resolve(ROOT, 'apps/gateway/dist/main.js'), stack.serviceEnv('gateway', port),
      `http://127.0.0.1:${port}/readyz`);
    await secondGateway.start();
    secondGatewayUrl = `http://127.0.0.1:${port}/api/v1`;
  }, 120_000);

  afterAll(async () => {
    await secondGateway?.stop();
    await stack?.stop();
  }, 60_000);

  it('gives a client that disconnects mid-run and reconnects with Last-Event-ID every event exactly once, in order', async () => {
    const csv = `question,answer\n${Array.from({ length: ITEMS }, (_, i) => `q${i},a${i}`).join('\n')}\n`;
    const dataset = await api.uploadDataset('live', csv);
    expect(dataset.status).toBe(201);
    const config = await api.request('POST', '/configs', { name: 'live', model: 'sim-small', prompt_template: '{{question}}' });
    expect(config.status).toBe(201);
    const run = await api.request('POST', '/evaluations', {
      run_name: 'live', dataset_id: dataset.body.id, config_id: config.body.id, config_version: 1, run_mode: 'fast',
    });
    expect(run.status).toBe(201);
    const path = `/evaluations/${run.body.id}/events`;

    // First connection: leave after the first batch of finished items, while the run is still going.
    const first = await readEvents(`${stack.gatewayUrl}${path}`, stack.authHeaders(), (events) => events.some((e) => e.event === 'items'));
    expect(first.status).toBe(200);
    expect(first.retry).toBeGreaterThan(0);
    expect(first.events[0]).toMatchObject({ event: 'status', data: { run_id: run.body.id, status: 'running', attempt: 1 } });
    const { body: midRun } = await api.request('GET', `/evaluations/${run.body.id}`);
    expect(midRun.status).toBe('running');

    // Reconnect to the other replica, resuming after the last event received: reads to the end of the run.
    const lastSeen = first.events[first.events.length - 1].id!;
    const second = await readEvents(`${secondGatewayUrl}${path}`, { ...stack.authHeaders(), 'last-event-id': String(lastSeen) });
    expect(second.status).toBe(200);
    expect(second.events.length).toBeGreaterThan(1);
    expect(second.events.at(-1)).toMatchObject({
      event: 'status', data: { status: 'completed', items_total: ITEMS, items_succeeded: ITEMS, items_failed: 0 },
    });

    // The whole history, replayed from the start after the run ended.
    const full = await readEvents(`${stack.gatewayUrl}${path}`, stack.authHeaders());
    const ids = (events: SseEvent[]) => events.map((e) => e.id);
    const union = [...first.events, ...second.events];
    expect(ids(union)).toEqual(ids(full.events));
    expect(union).toEqual(full.events);
    for (let i = 1; i < union.length; i += 1) expect(union[i].id!).toBeGreaterThan(union[i - 1].id!);

    // Every item is reported finished exactly once; the last snapshot before the terminal status has the final counts.
    const reported = full.events.filter((e) => e.event === 'items').flatMap((e) => e.data.items);
    expect(reported).toHaveLength(ITEMS);
    expect(new Set(reported.map((item: any) => item.item_index)).size).toBe(ITEMS);
    expect(reported.every((item: any) => item.state === 'succeeded' && typeof item.score === 'number')).toBe(true);
    expect(full.events.at(-2)).toMatchObject({
      event: 'progress', data: { status: 'completed', items_total: ITEMS, items_succeeded: ITEMS, items_failed: 0, items_in_progress: 0 },
    });
    expect(full.events.filter((e) => e.event === 'status').map((e) => e.data.status)).toEqual(['running', 'completed']);

    // After the end, a reconnect with the last id is told there is nothing more (EventSource stops on 204).
    const after = await fetch(`${secondGatewayUrl}${path}?last_event_id=${full.events.at(-1)!.id}`, { headers: stack.authHeaders() });
    expect(after.status).toBe(204);

    // Every connection's ephemeral consumer is gone once its client left or its stream ended.
    const probe = await BusProbe.connect(stack.id);
    try {
      await pollUntil('the readers\' consumers to be deleted', async () => {
        const consumers = await probe.jsm.consumers.list(probe.names.stream(Streams.Progress)).next();
        return consumers.length === 0 ? true : undefined;
      }, { timeoutMs: 5_000 }); // well below the 30 s after which the server would drop an abandoned consumer itself

      // A day later the run's events have expired from the stream: the final status still comes, from Postgres.
      await probe.jsm.streams.purge(probe.names.stream(Streams.Progress), { filter: probe.names.subject(`progress.run.${run.body.id}`) });
      const expired = await readEvents(`${stack.gatewayUrl}${path}`, stack.authHeaders());
      expect(expired.events).toEqual([{
        id: expect.any(Number), event: 'status',
        data: expect.objectContaining({ status: 'completed', items_total: ITEMS, items_succeeded: ITEMS, items_failed: 0 }),
      }]);
      const again = await fetch(`${stack.gatewayUrl}${path}`, { headers: { ...stack.authHeaders(), 'last-event-id': String(expired.events[0].id) } });
      expect(again.status).toBe(204);
    } finally {
      await probe.close();
    }
  }, 120_000);

  it('answers 404 for a run that does not exist and 400 for a Last-Event-ID that is not an event id', async () => {
    const missing = await fetch(`${stack.gatewayUrl}/evaluations/${randomUUID()}/events`, { headers: stack.authHeaders() });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: 'not_found' } });

    const bad = await fetch(`${stack.gatewayUrl}/evaluations/${randomUUID()}/events`, { headers: { ...stack.authHeaders(), 'last-event-id': 'abc' } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).error.details.problems[0]).toContain('last-event-id');
  });
});
