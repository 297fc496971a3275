import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { BusPublisher, BusRpcClient } from '@yardstick/bus';
import {
  Consumers, MessageEnvelope, RpcSubjects, RunFinishedEvent, RunMode, RunStatus, ServiceErrorCode, Streams, Subjects, WebhookEvent, WebhookView,
} from '@yardstick/contracts';
import { runMigrations } from '@yardstick/persistence';
import { loadEnvironment } from '@yardstick/service-runtime';
import { BusProbe, TEST_NATS_URL, pollUntil, uniqueTestId } from '@yardstick/testing';
import { AppModule } from '../src/app.module';
import { WebhookDispatcherEnv } from '../src/config/webhook-dispatcher.env';
import { webhookDispatcherPersistence } from '../src/webhook-dispatcher.persistence';
import { WebhookReceiver } from './webhook-receiver';

jest.setTimeout(30_000);

const DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

interface DeliveryRow {
  status: string;
  response_status: number | null;
  error: string | null;
}

function runFinished(projectId: string, status = RunStatus.Completed): RunFinishedEvent {
  return {
    runId: randomUUID(),
    projectId,
    runName: `run-${randomUUID().slice(0, 8)}`,
    runMode: RunMode.Fast,
    status,
    itemsTotal: 10,
    itemsSucceeded: 9,
    itemsFailed: 1,
    score: { mean: 0.82, std: 0.1, count: 9 },
    cost: { responses: 0.01, embeddings: 0.001, totalCostUsd: 0.011 },
    error: status === RunStatus.Failed ? 'too many items failed' : null,
    finishedAt: new Date().toISOString(),
  };
}

describe('webhook-dispatcher service', () => {
  const id = uniqueTestId('wh');
  const schema = `${id}_webhooks`;
  let app: INestApplication;
  let probe: BusProbe;
  let rpc: BusRpcClient;
  let publisher: BusPublisher;
  let dataSource: DataSource;
  const receivers: WebhookReceiver[] = [];

  beforeAll(async () => {
    const env = loadEnvironment(WebhookDispatcherEnv, {
      DATABASE_URL, DB_SCHEMA: schema, NATS_URL: TEST_NATS_URL, BUS_PREFIX: id, PORT: '0', WEBHOOK_TIMEOUT_MS: '5000',
    });
    await runMigrations(webhookDispatcherPersistence(env));
    const moduleRef = await Test.createTestingModule({ imports: [AppModule.register(env)] }).compile();
    app = moduleRef.createNestApplication({ logger: ['error', 'warn'] });
    await app.listen(0, '127.0.0.1');
    rpc = app.get(BusRpcClient);
    publisher = app.get(BusPublisher);
    dataSource = app.get(DataSource);
    probe = await BusProbe.connect(id);
  });

  afterAll(async () => {
    await app?.close();
    await Promise.all(receivers.map((receiver) => receiver.stop()));
    await probe?.deleteStreams();
    await probe?.close();
    const client = new Client({ connectionString: DATABASE_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).finally(() => client.end());
  });

  async function receiver(...statuses: number[]): Promise<WebhookReceiver> {
    const started = await new WebhookReceiver(statuses.length ? statuses : [200]).start();
    receivers.push(started);
    return started;
  }

  function subscribe(projectId: string, url: string, events: WebhookEvent[] = [Subjects.RunCompleted]): Promise<WebhookView> {
    return rpc.request(RpcSubjects.CreateWebhook, { projectId, url, events });
  }

  async function publishRunEvent(subject: WebhookEvent, event: RunFinishedEvent): Promise<string> {
    const eventId = `${event.runId}:${subject}`;
    await publisher.publish(subject, event, { messageId: eventId, correlationId: event.runId });
    return eventId;
  }

  function consumerOf(subject: WebhookEvent) {
    return subject === Subjects.RunCompleted ? Consumers.WebhookDispatcherRunCompleted : Consumers.WebhookDispatcherRunFailed;
  }

  async function deliveryRow(subscriptionId: string, eventId: string): Promise<DeliveryRow | undefined> {
    const rows: DeliveryRow[] = await dataSource.query(
      `SELECT status, response_status, error FROM webhook_deliveries WHERE subscription_id = $1 AND event_id = $2`,
      [subscriptionId, eventId],
    );
    return rows[0];
  }

  function receivedCount(target: WebhookReceiver, count: number) {
    return pollUntil(`${count} POSTs at ${target.url}`, async () => (target.received.length >= count ? target.received : undefined), {
      timeoutMs: 15_000, intervalMs: 20,
    });
  }

  it('reports ready when Postgres and NATS answer', async () => {
    const { port } = app.getHttpServer().address() as AddressInfo;
    const response = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ checks: { postgres: 'ok', nats: 'ok' } });
  });

  it('creates a webhook and lists it within its own project only', async () => {
    const projectId = randomUUID();
    const created = await subscribe(projectId, 'https://hooks.example.com/yardstick', [Subjects.RunCompleted, Subjects.RunFailed]);

    expect(created).toEqual({
      id: expect.any(String), projectId, url: 'https://hooks.example.com/yardstick', events: [Subjects.RunCompleted, Subjects.RunFailed],
      createdAt: expect.any(String),
    });
    await expect(rpc.request(RpcSubjects.ListWebhooks, { projectId, limit: 10, offset: 0 }))
      .resolves.toEqual({ items: [created], total: 1, limit: 10, offset: 0 });
    await expect(rpc.request(RpcSubjects.ListWebhooks, { projectId: randomUUID(), limit: 10, offset: 0 }))
      .resolves.toEqual({ items: [], total: 0, limit: 10, offset: 0 });
  });

  it('answers validation_failed for a URL that is not http(s)', async () => {
    await expect(subscribe(randomUUID(), 'ftp://example.com/hook')).rejects.toMatchObject({ code: ServiceErrorCode.ValidationFailed });
  });

  it('POSTs a completed run once, as snake_case JSON, to the subscriptions of that event only', async () => {
    const projectId = randomUUID();
    const completed = await receiver(200);
    const failedOnly = await receiver(200);
    const subscription = await subscribe(projectId, completed.url);
    await subscribe(projectId, failedOnly.url, [Subjects.RunFailed]);
    const event = runFinished(projectId);

    const eventId = await publishRunEvent(Subjects.RunCompleted, event);

    const [delivery] = await receivedCount(completed, 1);
    const { body: envelope } = await probe.waitForMessage<MessageEnvelope<RunFinishedEvent>>(
      Streams.Events, Subjects.RunCompleted, (e) => e.id === eventId,
    );
    expect(delivery.headers).toMatchObject({ 'content-type': 'application/json', 'user-agent': 'yardstick-webhooks/0.1', 'webhook-id': eventId });
    expect(delivery.body).toEqual({
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
    await probe.waitUntilIdle(Consumers.WebhookDispatcherRunCompleted);
    expect(completed.received).toHaveLength(1);
    expect(failedOnly.received).toHaveLength(0);
    expect(await deliveryRow(subscription.id, eventId)).toEqual({ status: 'delivered', response_status: 200, error: null });
  });

  it('delivers a failed run to the subscriptions of eval.run.failed', async () => {
    const projectId = randomUUID();
    const target = await receiver(200);
    await subscribe(projectId, target.url, [Subjects.RunFailed]);
    const event = runFinished(projectId, RunStatus.Failed);

    const eventId = await publishRunEvent(Subjects.RunFailed, event);

    const [delivery] = await receivedCount(target, 1);
    expect(delivery.body).toMatchObject({ id: eventId, type: 'eval.run.failed', data: { status: 'failed', error: 'too many items failed' } });
  });

  it('delivers the event on redelivery after the receiver answered 500', async () => {
    const projectId = randomUUID();
    const flaky = await receiver(500, 200);
    const subscription = await subscribe(projectId, flaky.url);

    const eventId = await publishRunEvent(Subjects.RunCompleted, runFinished(projectId));

    const [first, second] = await receivedCount(flaky, 2);
    await probe.waitUntilIdle(consumerOf(Subjects.RunCompleted));
    expect(flaky.received).toHaveLength(2);
    expect(second.headers['webhook-id']).toBe(first.headers['webhook-id']);
    expect(second.body).toEqual(first.body);
    expect(await deliveryRow(subscription.id, eventId)).toEqual({ status: 'delivered', response_status: 200, error: null });
  });

  it('does not deliver an event id twice, even when the bus hands it over twice', async () => {
    const projectId = randomUUID();
    const target = await receiver(200);
    await subscribe(projectId, target.url);
    const event = runFinished(projectId);
    const eventId = await publishRunEvent(Subjects.RunCompleted, event);
    await receivedCount(target, 1);

    // Inside JetStream's duplicate window the same message id is dropped at publish.
    await expect(publisher.publish(Subjects.RunCompleted, event, { messageId: eventId, correlationId: event.runId }))
      .resolves.toEqual({ duplicate: true });
    // After the window it would be stored again: the same envelope under a new Nats-Msg-Id reaches the handler.
    const { body: envelope } = await probe.waitForMessage<MessageEnvelope<RunFinishedEvent>>(
      Streams.Events, Subjects.RunCompleted, (e) => e.id === eventId,
    );
    const replay = await probe.publishRaw(Subjects.RunCompleted, JSON.stringify(envelope), `${eventId}:replayed`);
    await probe.waitUntilSettled(Consumers.WebhookDispatcherRunCompleted, replay);

    expect(target.received).toHaveLength(1);
  });

  it('records a 4xx answer as failed and does not retry it', async () => {
    const projectId = randomUUID();
    const gone = await receiver(410);
    const subscription = await subscribe(projectId, gone.url);

    const eventId = await publishRunEvent(Subjects.RunCompleted, runFinished(projectId));

    await receivedCount(gone, 1);
    await probe.waitUntilIdle(Consumers.WebhookDispatcherRunCompleted);
    expect(gone.received).toHaveLength(1);
    expect(await deliveryRow(subscription.id, eventId)).toEqual({ status: 'failed', response_status: 410, error: 'receiver answered HTTP 410' });
  });
});
