import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import {
  Consumers, MessageEnvelope, RpcSubjects, RunFinishedEvent, RunStatus, ServiceErrorCode, Streams, Subjects, WebhookSecretView,
} from '@yardstick/contracts';
import { pollUntil } from '@yardstick/testing';
import { ConnectionCounter } from './connection-counter';
import { DispatcherHarness, runFinished } from './dispatcher-harness';
import { ReceiverAnswer, WebhookReceiver } from './webhook-receiver';

jest.setTimeout(30_000);

describe('webhook-dispatcher service (loopback allow-listed)', () => {
  const harness = new DispatcherHarness();
  const receivers: WebhookReceiver[] = [];

  beforeAll(async () => {
    // Seven attempts over 3.2 s instead of ten over a day.
    await harness.start({ WEBHOOK_ALLOWED_HOSTS: '127.0.0.1/32', WEBHOOK_RETRY_SCHEDULE: '0ms,100ms,200ms,400ms,800ms,1600ms,3200ms' });
  });

  afterAll(async () => {
    await harness.stop();
    await Promise.all(receivers.map((receiver) => receiver.stop()));
  });

  async function receiver(...answers: Array<number | ReceiverAnswer>): Promise<WebhookReceiver> {
    const started = await new WebhookReceiver(answers.length ? answers : [200]).start();
    receivers.push(started);
    return started;
  }

  function subscribe(projectId: string, url: string, events: string[] = [Subjects.RunCompleted]): Promise<WebhookSecretView> {
    return harness.rpc.request(RpcSubjects.CreateWebhook, { projectId, url, events });
  }

  function receivedCount(target: WebhookReceiver, count: number) {
    return pollUntil(`${count} POSTs at ${target.url}`, async () => (target.received.length >= count ? target.received : undefined), {
      timeoutMs: 15_000, intervalMs: 20,
    });
  }

  it('reports ready when Postgres and NATS answer', async () => {
    const { port } = harness.app.getHttpServer().address() as AddressInfo;
    const response = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(response.status).toBe(200);
  });

  it('creates a webhook with a whsec_ secret shown once, and lists it within its own project only', async () => {
    const projectId = randomUUID();
    const target = await receiver();
    const created = await subscribe(projectId, target.url, [Subjects.RunCompleted, 'eval.experiment.*']);

    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(created.webhook).toEqual({
      id: expect.any(String), projectId, url: target.url, events: [Subjects.RunCompleted, 'eval.experiment.*'], status: 'active',
      disabledReason: null, disabledAt: null, failingSince: null, createdAt: expect.any(String),
    });
    await expect(harness.rpc.request(RpcSubjects.ListWebhooks, { projectId, limit: 10, offset: 0 }))
      .resolves.toEqual({ items: [created.webhook], total: 1, limit: 10, offset: 0 });
    await expect(harness.rpc.request(RpcSubjects.ListWebhooks, { projectId: randomUUID(), limit: 10, offset: 0 }))
      .resolves.toEqual({ items: [], total: 0, limit: 10, offset: 0 });
    const [{ secret_sealed: sealed }] = await harness.dataSource.query(`SELECT secret_sealed FROM webhook_subscriptions WHERE id = $1`, [created.webhook.id]);
    expect(sealed).not.toContain(created.secret.slice(6, 20));
  });

  it.each([
    ['a URL that is not http(s)', 'ftp://example.com/hook', [Subjects.RunCompleted]],
    ['an unknown event', 'http://127.0.0.1:9/hook', ['eval.run.exploded']],
    ['a wildcard of an unknown family', 'http://127.0.0.1:9/hook', ['eval.item.*']],
  ])('answers validation_failed for %s', async (_case, url, events) => {
    await expect(subscribe(randomUUID(), url, events)).rejects.toMatchObject({ code: ServiceErrorCode.ValidationFailed });
  });

  it('POSTs a completed run once, signed and snake_case, to the subscriptions whose patterns select it, and logs the attempt', async () => {
    const projectId = randomUUID();
    const [exact, wildcard, failedOnly] = [await receiver(200), await receiver(204), await receiver(200)];
    const subscription = await subscribe(projectId, exact.url);
    const wildcardSubscription = await subscribe(projectId, wildcard.url, ['eval.run.*']);
    await subscribe(projectId, failedOnly.url, [Subjects.RunFailed]);
    const event = runFinished(projectId);

    const eventId = await harness.publishRunEvent(Subjects.RunCompleted, event);

    const [delivery] = await receivedCount(exact, 1);
    await receivedCount(wildcard, 1);
    const { body: envelope } = await harness.probe.waitForMessage<MessageEnvelope<RunFinishedEvent>>(
      Streams.Events, Subjects.RunCompleted, (e) => e.id === eventId,
    );
    expect(delivery.headers).toMatchObject({ 'content-type': 'application/json', 'user-agent': 'yardstick-webhooks/0.1', 'webhook-id': eventId });
    expect(new Webhook(subscription.secret).verify(delivery.raw, delivery.headers as Record<string, string>)).toEqual({
      id: eventId,
      type: 'eval.run.completed',
      occurred_at: envelope.occurred_at,
      data: {
        run_id: event.runId, project_id: projectId, run_name: event.runName, run_mode: 'fast', status: 'completed',
        items_total: 10, items_succeeded: 9, items_failed: 1,
        score: { mean: 0.82, std: 0.1, count: 9 },
        cost: { responses: 0.01, embeddings: 0.001, total_cost_usd: 0.011 },
        error: null,
        finished_at: event.finishedAt,
      },
    });
    expect(() => new Webhook(wildcardSubscription.secret).verify(delivery.raw, delivery.headers as Record<string, string>)).toThrow();
    const [logged] = await harness.waitForDeliveries(projectId, subscription.webhook.id, 'a delivered entry', (d) => d[0]?.status === 'delivered');
    expect(logged).toMatchObject({
      eventId, eventType: 'eval.run.completed', status: 'delivered', attemptCount: 1, nextAttemptAt: null,
      attempts: [{ attempt: 1, responseStatus: 200, error: null, delivered: true, latencyMs: expect.any(Number) }],
    });
    await harness.probe.waitUntilIdle(Consumers.WebhookDispatcherRunCompleted);
    expect(failedOnly.received).toHaveLength(0);
  });

  it('delivers every event once, under the same id, to a receiver that was down and came back', async () => {
    const projectId = randomUUID();
    const target = await receiver(200);
    await target.stop();
    const subscription = await subscribe(projectId, target.url);

    const eventIds = [];
    for (let i = 0; i < 3; i++) eventIds.push(await harness.publishRunEvent(Subjects.RunCompleted, runFinished(projectId)));
    await harness.waitForDeliveries(projectId, subscription.webhook.id, 'two failed attempts of each event',
      (d) => d.length === 3 && d.every((x) => x.attempts.length >= 2));
    await target.start();

    const log = await harness.waitForDeliveries(projectId, subscription.webhook.id, 'all delivered', (d) => d.every((x) => x.status === 'delivered'));
    // An idempotent receiver keeps the first of each webhook-id: every event is there once, and nothing came twice.
    const ids = target.received.map((r) => r.headers['webhook-id']);
    expect(new Set(ids)).toEqual(new Set(eventIds));
    expect(ids).toHaveLength(3);
    for (const delivery of log) {
      expect(delivery.attempts.slice(0, -1).every((a) => !a.delivered && a.responseStatus === null && a.error!.includes('ECONNREFUSED'))).toBe(true);
      expect(delivery.attempts.at(-1)).toMatchObject({ delivered: true, responseStatus: 200 });
    }
  });

  it('sends the same id and body on every attempt after 5xx answers', async () => {
    const projectId = randomUUID();
    const flaky = await receiver(500, 503, 200);
    const subscription = await subscribe(projectId, flaky.url);

    await harness.publishRunEvent(Subjects.RunCompleted, runFinished(projectId));

    const [first, second, third] = await receivedCount(flaky, 3);
    expect(new Set([first, second, third].map((r) => r.headers['webhook-id'])).size).toBe(1);
    expect(second.raw).toBe(first.raw);
    expect(third.raw).toBe(first.raw);
    const [logged] = await harness.waitForDeliveries(projectId, subscription.webhook.id, 'delivered', (d) => d[0]?.status === 'delivered');
    expect(logged.attempts.map((a) => a.responseStatus)).toEqual([500, 503, 200]);
  });

  it('does not deliver an event id twice, even when the bus hands it over twice', async () => {
    const projectId = randomUUID();
    const target = await receiver(200);
    await subscribe(projectId, target.url);
    const event = runFinished(projectId);
    const eventId = await harness.publishRunEvent(Subjects.RunCompleted, event);
    await receivedCount(target, 1);

    const { body: envelope } = await harness.probe.waitForMessage<MessageEnvelope<RunFinishedEvent>>(
      Streams.Events, Subjects.RunCompleted, (e) => e.id === eventId,
    );
    const replay = await harness.probe.publishRaw(Subjects.RunCompleted, JSON.stringify(envelope), `${eventId}:replayed`);
    await harness.probe.waitUntilSettled(Consumers.WebhookDispatcherRunCompleted, replay);
    await harness.probe.waitUntilIdle(Consumers.WebhookDispatcherRunCompleted);

    expect(target.received).toHaveLength(1);
  });

  it('disables the subscription when the receiver answers 410, and sends it nothing more', async () => {
    const projectId = randomUUID();
    const gone = await receiver(410);
    const subscription = await subscribe(projectId, gone.url);

    await harness.publishRunEvent(Subjects.RunCompleted, runFinished(projectId));

    const [logged] = await harness.waitForDeliveries(projectId, subscription.webhook.id, 'failed', (d) => d[0]?.status === 'failed');
    expect(logged.attempts).toMatchObject([{ responseStatus: 410, delivered: false }]);
    const { items } = await harness.rpc.request(RpcSubjects.ListWebhooks, { projectId, limit: 10, offset: 0 });
    expect(items[0]).toMatchObject({ status: 'disabled', disabledReason: 'endpoint_gone', disabledAt: expect.any(String) });

    await harness.publishRunEvent(Subjects.RunCompleted, runFinished(projectId));
    await harness.probe.waitUntilIdle(Consumers.WebhookDispatcherRunCompleted);
    expect(await harness.deliveries(projectId, subscription.webhook.id)).toHaveLength(1);
    expect(gone.received).toHaveLength(1);
    await expect(harness.rpc.request(RpcSubjects.RedeliverWebhookDelivery, { projectId, webhookId: subscription.webhook.id, deliveryId: logged.id }))
      .rejects.toMatchObject({ code: ServiceErrorCode.Conflict });

    const webhookId = subscription.webhook.id;
    const enabled = await harness.rpc.request(RpcSubjects.EnableWebhook, { projectId, webhookId });
    expect(enabled).toMatchObject({ status: 'active', disabledReason: null, disabledAt: null, failingSince: null });
    await expect(harness.rpc.request(RpcSubjects.EnableWebhook, { projectId: randomUUID(), webhookId })).rejects.toMatchObject({ code: ServiceErrorCode.NotFound });
    expect(await harness.rpc.request(RpcSubjects.GetWebhook, { projectId, webhookId })).toMatchObject({ id: webhookId, status: 'active' });
    await expect(harness.rpc.request(RpcSubjects.DeleteWebhook, { projectId: randomUUID(), webhookId })).rejects.toMatchObject({ code: ServiceErrorCode.NotFound });
    await harness.rpc.request(RpcSubjects.DeleteWebhook, { projectId, webhookId });
    await expect(harness.rpc.request(RpcSubjects.GetWebhook, { projectId, webhookId })).rejects.toMatchObject({ code: ServiceErrorCode.NotFound });
  });

  it('waits as long as a 429 Retry-After asks before the next attempt', async () => {
    const projectId = randomUUID();
    const busy = await receiver({ status: 429, headers: { 'retry-after': '1' } }, 200);
    const subscription = await subscribe(projectId, busy.url);

    await harness.publishRunEvent(Subjects.RunCompleted, runFinished(projectId));

    const [first, second] = await receivedCount(busy, 2);
    // The schedule alone would retry after 100 ms.
    expect(second.at - first.at).toBeGreaterThanOrEqual(1_000);
    const [logged] = await harness.waitForDeliveries(projectId, subscription.webhook.id, 'delivered', (d) => d[0]?.status === 'delivered');
    expect(logged.attempts.map((a) => a.responseStatus)).toEqual([429, 200]);
  });

  it('signs with both the new and the previous secret after a rotation', async () => {
    const projectId = randomUUID();
    const target = await receiver(200);
    const created = await subscribe(projectId, target.url);

    const rotated = await harness.rpc.request(RpcSubjects.RotateWebhookSecret, { projectId, webhookId: created.webhook.id });
    await harness.publishRunEvent(Subjects.RunCompleted, runFinished(projectId));

    expect(rotated.secret).not.toBe(created.secret);
    expect(Date.parse(rotated.previousSecretExpiresAt!)).toBeGreaterThan(Date.now() + 23 * 3600_000);
    const [delivery] = await receivedCount(target, 1);
    const headers = delivery.headers as Record<string, string>;
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(() => new Webhook(rotated.secret).verify(delivery.raw, headers)).not.toThrow();
    expect(() => new Webhook(created.secret).verify(delivery.raw, headers)).not.toThrow();
    await expect(harness.rpc.request(RpcSubjects.RotateWebhookSecret, { projectId: randomUUID(), webhookId: created.webhook.id }))
      .rejects.toMatchObject({ code: ServiceErrorCode.NotFound });
  });

  it('fails a delivery when the schedule is used up, and sends it again on manual redelivery of it or of its time range', async () => {
    const projectId = randomUUID();
    const target = await receiver(500);
    const subscription = await subscribe(projectId, target.url);
    const since = new Date(Date.now() - 1_000).toISOString();
    const eventId = await harness.publishRunEvent(Subjects.RunCompleted, runFinished(projectId));
    const [failed] = await harness.waitForDeliveries(projectId, subscription.webhook.id, 'failed after 7 attempts', (d) => d[0]?.status === 'failed');
    expect(failed.attempts).toHaveLength(7);

    target.answerWith(200);
    const webhookId = subscription.webhook.id;
    await expect(harness.rpc.request(RpcSubjects.RedeliverWebhookRange, { projectId, webhookId, from: since, to: new Date().toISOString() }))
      .resolves.toEqual({ redelivered: 1 });
    const [delivered] = await harness.waitForDeliveries(projectId, webhookId, 'delivered', (d) => d[0]?.status === 'delivered');
    expect(delivered.attempts.map((a) => a.attempt)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);

    const again = await harness.rpc.request(RpcSubjects.RedeliverWebhookDelivery, { projectId, webhookId, deliveryId: delivered.id });
    expect(again).toMatchObject({ id: delivered.id, status: 'pending' });
    await receivedCount(target, 2);
    expect(target.received.map((r) => r.headers['webhook-id'])).toEqual([eventId, eventId]);
    await expect(harness.rpc.request(RpcSubjects.RedeliverWebhookDelivery, { projectId, webhookId, deliveryId: randomUUID() }))
      .rejects.toMatchObject({ code: ServiceErrorCode.NotFound });
  });

  it('disables a subscription that has been failing for longer than allowed, flagging why', async () => {
    const projectId = randomUUID();
    const down = await receiver(503);
    const subscription = await subscribe(projectId, down.url);
    await harness.dataSource.query(`UPDATE webhook_subscriptions SET failing_since = now() - interval '6 days' WHERE id = $1`, [subscription.webhook.id]);

    await harness.publishRunEvent(Subjects.RunCompleted, runFinished(projectId));

    await harness.waitForDeliveries(projectId, subscription.webhook.id, 'failed', (d) => d[0]?.status === 'failed');
    const { items } = await harness.rpc.request(RpcSubjects.ListWebhooks, { projectId, limit: 10, offset: 0 });
    expect(items[0]).toMatchObject({ status: 'disabled', disabledReason: 'failing_too_long' });
    expect(down.received).toHaveLength(1);
  });

  it('filters the delivery log before paging it, newest first', async () => {
    const projectId = randomUUID();
    const target = await receiver(200);
    const subscription = await subscribe(projectId, target.url, ['eval.run.*']);
    const completed = await harness.publishRunEvent(Subjects.RunCompleted, runFinished(projectId));
    const failed = await harness.publishRunEvent(Subjects.RunFailed, runFinished(projectId, RunStatus.Failed));
    await harness.waitForDeliveries(projectId, subscription.webhook.id, 'both delivered', (d) => d.length === 2 && d.every((x) => x.status === 'delivered'));

    const page = (extra: object) => harness.rpc.request(RpcSubjects.ListWebhookDeliveries, {
      projectId, webhookId: subscription.webhook.id, limit: 1, offset: 0, ...extra,
    });
    await expect(page({ eventType: 'eval.run.completed' })).resolves.toMatchObject({ total: 1, items: [{ eventId: completed }] });
    await expect(page({ eventType: 'eval.run.failed' })).resolves.toMatchObject({ total: 1, items: [{ eventId: failed }] });
    await expect(page({ status: 'failed' })).resolves.toMatchObject({ total: 0, items: [] });
    await expect(page({})).resolves.toMatchObject({ total: 2, items: [{ eventId: failed }] });
    await expect(harness.rpc.request(RpcSubjects.ListWebhookDeliveries, { projectId: randomUUID(), webhookId: subscription.webhook.id, limit: 1, offset: 0 }))
      .rejects.toMatchObject({ code: ServiceErrorCode.NotFound });
  });

  it('takes over a delivery whose claim lease ran out (its replica died mid-attempt), but not one whose lease is live', async () => {
    const projectId = randomUUID();
    const target = await receiver(200);
    const subscription = await subscribe(projectId, target.url);
    const [expired, live] = [await harness.publishRunEvent(Subjects.RunCompleted, runFinished(projectId)),
      await harness.publishRunEvent(Subjects.RunCompleted, runFinished(projectId))];
    await receivedCount(target, 2);
    await harness.waitForDeliveries(projectId, subscription.webhook.id, 'both delivered', (d) => d.length === 2 && d.every((x) => x.status === 'delivered'));

    // What a replica leaves behind when it dies after claiming: pending, leased, due.
    const leave = (eventId: string, leaseUntil: string) => harness.dataSource.query(
      `UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = now() - interval '1 minute', lease_token = gen_random_uuid(),
         lease_until = now() + $2::interval WHERE event_id = $1`, [eventId, leaseUntil],
    );
    await leave(live, '1 hour');
    await leave(expired, '-1 second');
    const later = await harness.publishRunEvent(Subjects.RunCompleted, runFinished(projectId));

    // Claims go oldest-due first, so once the later event is delivered the live-leased one would have been taken too.
    await pollUntil('the later event', async () => (target.received.some((r) => r.headers['webhook-id'] === later) ? true : undefined));
    await harness.waitForDeliveries(projectId, subscription.webhook.id, 'the expired claim re-sent', (d) => d.find((x) => x.eventId === expired)?.status === 'delivered');
    const sent = target.received.map((r) => r.headers['webhook-id']);
    expect(sent.filter((id) => id === expired)).toHaveLength(2);
    expect(sent.filter((id) => id === live)).toHaveLength(1);
  });

  it('does not follow a redirect, not even to an allowed address: the attempt fails naming it', async () => {
    const projectId = randomUUID();
    const counter = await new ConnectionCounter().start('127.0.0.1');
    const redirecting = await receiver({ status: 302, headers: { location: `http://127.0.0.1:${counter.port}/internal` } }, 200);
    const subscription = await subscribe(projectId, redirecting.url);

    await harness.publishRunEvent(Subjects.RunCompleted, runFinished(projectId));

    const [logged] = await harness.waitForDeliveries(projectId, subscription.webhook.id, 'delivered', (d) => d[0]?.status === 'delivered');
    expect(logged.attempts[0]).toMatchObject({ responseStatus: 302, delivered: false });
    expect(logged.attempts[0].error).toContain(`redirect to http://127.0.0.1:${counter.port}/internal not followed`);
    expect(counter.connections).toBe(0);
    await counter.stop();
  });
});
