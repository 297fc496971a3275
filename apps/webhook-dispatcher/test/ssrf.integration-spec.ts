import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { RpcSubjects, ServiceErrorCode, Subjects } from '@yardstick/contracts';
import { ConnectionCounter } from './connection-counter';
import { DispatcherHarness, runFinished } from './dispatcher-harness';

jest.setTimeout(30_000);

describe('webhook-dispatcher SSRF guard (empty allow-list, as in production)', () => {
  const harness = new DispatcherHarness();
  const loopback = new ConnectionCounter();
  let loopbackV6: ConnectionCounter | undefined;

  beforeAll(async () => {
    await harness.start({ WEBHOOK_ALLOWED_HOSTS: '', WEBHOOK_RETRY_SCHEDULE: '0ms,50ms' });
    await loopback.start('127.0.0.1');
    loopbackV6 = await new ConnectionCounter().start('::1').catch(() => undefined);
  });

  afterAll(async () => {
    await harness.stop();
    await loopback.stop();
    await loopbackV6?.stop();
  });

  const connections = () => loopback.connections + (loopbackV6?.connections ?? 0);

  it.each([
    ['loopback', () => `http://127.0.0.1:${loopback.port}/hook`, 'loopback_address'],
    ['IPv6 loopback', () => `http://[::1]:${loopbackV6?.port ?? loopback.port}/hook`, 'loopback_address'],
    ['a hostname resolving to loopback', () => `http://localhost:${loopback.port}/hook`, 'loopback_address'],
    ['IPv4-mapped IPv6 loopback', () => `http://[::ffff:127.0.0.1]:${loopback.port}/hook`, 'loopback_address'],
    ['the cloud metadata address', () => 'http://169.254.169.254/latest/meta-data/', 'link_local_address'],
    ['a private address', () => 'http://10.0.0.1/hook', 'private_address'],
    ['the unspecified address', () => `http://0.0.0.0:${loopback.port}/hook`, 'unspecified_address'],
  ])('refuses a subscription to %s, naming why, without connecting', async (_case, url, reason) => {
    await expect(harness.rpc.request(RpcSubjects.CreateWebhook, { projectId: randomUUID(), url: url(), events: [Subjects.RunCompleted] }))
      .rejects.toMatchObject({ code: ServiceErrorCode.ValidationFailed, details: { field: 'url', reason } });
    expect(connections()).toBe(0);
  });

  it('checks again at send time: a subscription whose host now resolves to loopback is refused without connecting', async () => {
    // Stands in for DNS that changed after the subscription was accepted (or rebinding): the row bypasses the create-time check.
    const projectId = randomUUID();
    const webhookId = randomUUID();
    await harness.dataSource.query(
      `INSERT INTO webhook_subscriptions (id, project_id, url, events) VALUES ($1, $2, $3, $4)`,
      [webhookId, projectId, `http://localhost:${loopback.port}/hook`, [Subjects.RunCompleted]],
    );

    await harness.publishRunEvent(Subjects.RunCompleted, runFinished(projectId));

    const [delivery] = await harness.waitForDeliveries(projectId, webhookId, 'the delivery to fail', (d) => d[0]?.status === 'failed');
    expect(delivery.attempts).toHaveLength(2);
    for (const attempt of delivery.attempts) {
      expect(attempt).toMatchObject({ delivered: false, responseStatus: null });
      expect(attempt.error).toMatch(/^destination refused: url points at (127\.0\.0\.1|::1) \(localhost resolves to it\), a loopback address/);
    }
    expect(connections()).toBe(0);
  });
});
