import 'reflect-metadata';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AckPolicy, ConsumerMessages, DeliverPolicy } from '@nats-io/jetstream';
import { Client } from 'pg';
import { BusConnection, BusPublisher } from '@yardstick/bus';
import { ItemStageFailedEvent, ResponseGeneratedEvent, Subjects } from '@yardstick/contracts';
import { runMigrations } from '@yardstick/persistence';
import { loadEnvironment } from '@yardstick/service-runtime';
import { pollUntil, uniqueTestId } from '@yardstick/testing';
import { startLlmSim } from '../../../tools/llm-sim/src';
import { AppModule } from '../src/app.module';
import { LlmCallerEnv } from '../src/config/llm-caller.env';
import { llmCallerPersistence } from '../src/llm-caller.persistence';

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const ids = { runId: '00000000-0000-4000-8000-000000000001', projectId: '00000000-0000-4000-8000-0000000000aa' };

describe('llm-caller against llm-sim (real Postgres, NATS, Redis; openai SDK)', () => {
  const id = uniqueTestId('llm');
  let app: INestApplication;
  let sim: Awaited<ReturnType<typeof startLlmSim>>;
  let bus: BusConnection;
  const events: Array<{ subject: string; data: any }> = [];
  let messages: ConsumerMessages | undefined;

  beforeAll(async () => {
    sim = await startLlmSim({ port: 0 });
    const env = loadEnvironment(LlmCallerEnv, {
      DATABASE_URL, DB_SCHEMA: id, BUS_PREFIX: id, REDIS_KEY_PREFIX: id, PORT: '0', PROVIDER_BASE_URL: sim.baseURL, PROVIDER_TIMEOUT_MS: '2000', SECRET_KEYS: `test:${Buffer.alloc(32, 1).toString('base64')}`,
    });
    await runMigrations(llmCallerPersistence(env));
    app = await NestFactory.create(AppModule.register(env), { logger: false });
    await app.init();
    bus = app.get(BusConnection);
    const stream = `${id.toUpperCase()}_EVENTS`;
    await bus.jsm.consumers.add(stream, { durable_name: 'test', ack_policy: AckPolicy.None, deliver_policy: DeliverPolicy.All });
    messages = await (await bus.js.consumers.get(stream, 'test')).consume();
    const stream$ = messages;
    void (async () => {
      for await (const m of stream$) events.push({ subject: bus.names.logicalSubject(m.subject), data: m.json<any>().data });
    })();
  }, 60_000);

  afterAll(async () => {
    messages?.stop();
    for (const stream of ['CMD', 'EVENTS', 'DLQ']) await bus.jsm.streams.delete(`${id.toUpperCase()}_${stream}`).catch(() => undefined);
    await app.close();
    await sim.close();
    const client = new Client({ connectionString: DATABASE_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${id}" CASCADE`);
    await client.end();
  });

  it('calls the provider once per item even when the command is delivered again, and republishes the recorded result', async () => {
    const publisher = app.get(BusPublisher);
    const itemId = '00000000-0000-4000-8000-000000000101';
    const command = { ...ids, itemId, model: 'sim-large', input: 'What is the capital of France?', params: { temperature: 0 } };
    await publisher.publish(Subjects.GenerateResponse, { ...command, attempt: 1 }, { messageId: `${itemId}:r:1`, correlationId: ids.runId });
    const first = await pollUntil('the first result', async () =>
      events.find((e) => e.subject === Subjects.ResponseGenerated && e.data.itemId === itemId)?.data as ResponseGeneratedEvent | undefined);
    await publisher.publish(Subjects.GenerateResponse, { ...command, attempt: 2 }, { messageId: `${itemId}:r:2`, correlationId: ids.runId });
    const second = await pollUntil('the republished result', async () =>
      events.find((e) => e.subject === Subjects.ResponseGenerated && e.data.itemId === itemId && e.data.attempt === 2)?.data);

    expect(second.output).toBe(first.output);
    expect(second.costUsd).toBe(first.costUsd);
    expect(first.costUsd).toBeGreaterThan(0);
    expect(first.usage.totalTokens).toBe(first.usage.inputTokens + first.usage.outputTokens);
    const stats = await (await fetch(`${sim.url}/sim/stats`)).json() as any;
    expect(stats.by_endpoint.responses).toBe(1);
  }, 20_000);

  it('records one result per prompt-pipeline step of an item: each step calls once, a redelivered step calls again never', async () => {
    const publisher = app.get(BusPublisher);
    const itemId = '00000000-0000-4000-8000-000000000104';
    const before = (await (await fetch(`${sim.url}/sim/stats`)).json() as any).by_endpoint.responses;
    const send = (attempt: number, step: number) => publisher.publish(Subjects.GenerateResponse, {
      ...ids, itemId, attempt, step: step || undefined, model: 'sim-small', input: step ? 'Facts: Lima. Capital of Peru?' : 'Facts about Peru?', params: {},
    }, { messageId: `${itemId}:r:${attempt}`, correlationId: ids.runId });
    const resultOf = (attempt: number) => pollUntil(`the result of attempt ${attempt}`, async () =>
      events.find((e) => e.subject === Subjects.ResponseGenerated && e.data.itemId === itemId && e.data.attempt === attempt)?.data as ResponseGeneratedEvent | undefined);
    await send(1, 0);
    const step0 = await resultOf(1);
    await send(2, 1);
    const step1 = await resultOf(2);
    await send(3, 1); // a redelivery of step 1
    const replay = await resultOf(3);
    expect([step0.step, step1.step, replay.step]).toEqual([undefined, 1, 1]);
    expect(replay.output).toBe(step1.output);
    const after = (await (await fetch(`${sim.url}/sim/stats`)).json() as any).by_endpoint.responses;
    expect(after - before).toBe(2);
  }, 20_000);

  it('lets only one of two simultaneous deliveries of the same work call the provider', async () => {
    await fetch(`${sim.url}/sim/config`, {
      method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ latency: { responses_ms: 500 } }),
    });
    const itemId = '00000000-0000-4000-8000-000000000103';
    const before = (await (await fetch(`${sim.url}/sim/stats`)).json() as any).by_endpoint.responses;
    const command = { ...ids, itemId, model: 'sim-large', input: 'What is the capital of Peru?', params: {} };
    const publisher = app.get(BusPublisher);
    await Promise.all([1, 2].map((attempt) =>
      publisher.publish(Subjects.GenerateResponse, { ...command, attempt }, { messageId: `${itemId}:r:${attempt}`, correlationId: ids.runId })));
    await pollUntil('both deliveries answered', async () =>
      events.filter((e) => e.subject === Subjects.ResponseGenerated && e.data.itemId === itemId).length === 2 ? true : undefined,
    { timeoutMs: 10_000 });
    const after = (await (await fetch(`${sim.url}/sim/stats`)).json() as any).by_endpoint.responses;
    expect(after - before).toBe(1);
    await fetch(`${sim.url}/sim/config`, {
      method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ latency: { responses_ms: 0 } }),
    });
  }, 20_000);

  it('reports a 429 as a retryable failure carrying Retry-After, without the SDK retrying on its own', async () => {
    await fetch(`${sim.url}/sim/config`, {
      method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ faults: { rate_429: 1, retry_after_ms: 3000 } }),
    });
    const itemId = '00000000-0000-4000-8000-000000000102';
    const before = (await (await fetch(`${sim.url}/sim/stats`)).json() as any).by_endpoint.responses;
    await app.get(BusPublisher).publish(Subjects.GenerateResponse, { ...ids, itemId, attempt: 1, model: 'sim-small', input: 'hi', params: {} }, {
      messageId: `${itemId}:r:1`, correlationId: ids.runId,
    });
    const failure: ItemStageFailedEvent = await pollUntil('the failure event', async () =>
      events.find((e) => e.subject === Subjects.ItemStageFailed && e.data.itemId === itemId)?.data);
    expect(failure.error).toMatchObject({ code: 'rate_limited', retryable: true, retryAfterMs: 3000, httpStatus: 429 });
    const after = (await (await fetch(`${sim.url}/sim/stats`)).json() as any).by_endpoint.responses;
    expect(after - before).toBe(1);
    await fetch(`${sim.url}/sim/config`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ faults: { rate_429: 0 } }) });
  }, 20_000);
});
