import { randomUUID } from 'node:crypto';
import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { resolve } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { Subjects } from '@yardstick/contracts';
import { ApiClient, BusProbe, pollUntil, YardstickStack } from '@yardstick/testing';

const ROOT = resolve(__dirname, '../../..');

describe('webhooks API end to end (gateway → webhook-dispatcher → a local receiver)', () => {
  let stack: YardstickStack;
  let api: ApiClient;
  let projectId: string;
  let probe: BusProbe;
  let receiver: Server;
  let receiverUrl = '';
  const received: Array<{ headers: IncomingHttpHeaders; raw: string }> = [];

  beforeAll(async () => {
    receiver = createServer((request, response) => {
      let raw = '';
      request.on('data', (chunk) => (raw += chunk));
      request.on('end', () => {
        received.push({ headers: request.headers, raw });
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((done) => receiver.listen(0, '127.0.0.1', done));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;
    stack = await new YardstickStack({
      root: ROOT,
      serviceEnv: { 'webhook-dispatcher': { WEBHOOK_RETRY_SCHEDULE: '0ms,100ms,200ms', WEBHOOK_POLL_INTERVAL_MS: '50' } },
    }).start();
    const key = await stack.createApiKey(`${stack.id}-hooks`, 'default');
    api = new ApiClient(stack.gatewayUrl, key.apiKey);
    projectId = key.projectId;
    probe = await BusProbe.connect(stack.id);
  }, 120_000);

  afterAll(async () => {
    await probe?.close();
    await stack?.stop();
    await new Promise((done) => receiver?.close(done));
  }, 60_000);

  it.each([
    ['a URL that is not http(s)', { url: 'ftp://example.com/x', events: ['eval.run.completed'] }, 'url'],
    ['an unknown event', { url: 'https://example.com/x', events: ['eval.run.exploded'] }, 'events'],
    ['a wildcard of an unknown family', { url: 'https://example.com/x', events: ['eval.*'] }, 'events'],
    ['no events', { url: 'https://example.com/x', events: [] }, 'events'],
  ])('answers 400 naming the field for %s', async (_case, body, field) => {
    const { status, body: error } = await api.request('POST', '/webhooks', body);
    expect(status).toBe(400);
    expect(error.error).toMatchObject({ code: 'validation_failed', message: expect.stringContaining(field) });
  });

  it.each([
    ['the cloud metadata address', 'http://169.254.169.254/latest/meta-data/', 'link_local_address'],
    ['a private address', 'http://10.0.0.1/hook', 'private_address'],
  ])('answers 400 for a URL pointing at %s, naming the reason', async (_case, url, reason) => {
    const { status, body } = await api.request('POST', '/webhooks', { url, events: ['eval.run.completed'] });
    expect(status).toBe(400);
    expect(body.error).toMatchObject({ code: 'validation_failed', details: { field: 'url', reason } });
  });

  it('answers 400 for a bad delivery filter or redelivery range, and 404 for a webhook of nobody', async () => {
    const id = randomUUID();
    expect((await api.request('GET', `/webhooks/${id}/deliveries?status=lost`)).status).toBe(400);
    expect((await api.request('GET', '/webhooks/not-a-uuid/deliveries')).status).toBe(400);
    const range = await api.request('POST', `/webhooks/${id}/redeliver`, { from: 'yesterday', to: '2024-12-01T00:00:00Z' });
    expect(range.status).toBe(400);
    expect(range.body.error.message).toContain('from');
    expect((await api.request('GET', `/webhooks/${id}/deliveries`)).status).toBe(404);
  });

  it('creates a webhook, delivers a signed event, logs it, redelivers it, and rotates the secret', async () => {
    const created = await api.request('POST', '/webhooks', { url: receiverUrl, events: ['eval.run.*'] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ url: receiverUrl, events: ['eval.run.*'], status: 'active', disabled_reason: null, secret: expect.stringMatching(/^whsec_/) });
    const hook = created.body;
    const listed = await api.request('GET', '/webhooks');
    expect(listed.body.items).toEqual([expect.not.objectContaining({ secret: expect.anything() })]);

    const runId = randomUUID();
    const eventId = `${runId}:${Subjects.RunCompleted}`;
    await probe.publishRaw(Subjects.RunCompleted, JSON.stringify({
      id: eventId, subject: Subjects.RunCompleted, schema_version: 1, occurred_at: new Date().toISOString(), correlation_id: runId,
      data: {
        runId, projectId, runName: 'nightly', runMode: 'fast', status: 'completed', itemsTotal: 1, itemsSucceeded: 1, itemsFailed: 0,
        score: { mean: 1, std: 0, count: 1 }, cost: { responses: 0, embeddings: 0, totalCostUsd: 0 }, error: null, finishedAt: new Date().toISOString(),
      },
    }), eventId);

    const first = await pollUntil('the webhook', async () => received.find((r) => r.headers['webhook-id'] === eventId));
    expect(new Webhook(hook.secret).verify(first.raw, first.headers as Record<string, string>)).toMatchObject({ id: eventId, data: { run_id: runId } });
    const log = await pollUntil('a delivered log entry', async () => {
      const { body } = await api.request('GET', `/webhooks/${hook.id}/deliveries?status=delivered`);
      return body.total === 1 ? body : undefined;
    });
    expect(log.items[0]).toMatchObject({
      event_id: eventId, event_type: 'eval.run.completed', status: 'delivered', attempt_count: 1,
      attempts: [{ attempt: 1, response_status: 204, delivered: true, error: null, latency_ms: expect.any(Number) }],
    });

    const again = await api.request('POST', `/webhooks/${hook.id}/deliveries/${log.items[0].id}/redeliver`);
    expect(again.status).toBe(202);
    await pollUntil('the redelivery', async () => (received.filter((r) => r.headers['webhook-id'] === eventId).length === 2 ? true : undefined));

    const rotated = await api.request('POST', `/webhooks/${hook.id}/rotate-secret`);
    expect(rotated.status).toBe(200);
    expect(rotated.body).toMatchObject({ id: hook.id, secret: expect.stringMatching(/^whsec_/), previous_secret_expires_at: expect.any(String) });
    expect(rotated.body.secret).not.toBe(hook.secret);
    const range = await api.request('POST', `/webhooks/${hook.id}/redeliver`, { from: '2024-01-01T00:00:00Z', to: new Date().toISOString() });
    expect(range).toEqual({ status: 202, body: { redelivered: 0 } });
  });
});
