import 'reflect-metadata';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AckPolicy, ConsumerMessages, DeliverPolicy } from '@nats-io/jetstream';
import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { Client } from 'pg';
import { BusConnection, BusPublisher } from '@yardstick/bus';
import { CacheMode, Streams, Subjects } from '@yardstick/contracts';
import { runMigrations } from '@yardstick/persistence';
import { loadEnvironment } from '@yardstick/service-runtime';
import { freePort, pollUntil, uniqueTestId } from '@yardstick/testing';
import { startLlmSim } from '../../../tools/llm-sim/src';
import { AppModule } from '../src/app.module';
import { ResponseCache } from '../src/cache/response-cache';
import { LlmCallerEnv } from '../src/config/llm-caller.env';
import { llmCallerPersistence } from '../src/llm-caller.persistence';

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const RUN = { runId: '00000000-0000-4000-8000-000000000001', projectId: '00000000-0000-4000-8000-0000000000aa' };

describe('response cache (real Redis, its own redis-server for the outage; llm-sim through the openai SDK)', () => {
  const id = uniqueTestId('cache');
  let app: INestApplication;
  let sim: Awaited<ReturnType<typeof startLlmSim>>;
  let redis: ChildProcess;
  let bus: BusConnection;
  let messages: ConsumerMessages;
  const events = new Map<string, any>();

  const responsesCalls = async () => ((await (await fetch(`${sim.url}/sim/stats`)).json()) as any).by_endpoint.responses as number;

  /** Publishes a generate command for a fresh item and waits for its outcome event. */
  async function generate(input: string, options: { replicate?: number; cacheMode?: CacheMode } = {}) {
    const itemId = randomUUID();
    await app.get(BusPublisher).publish(Subjects.GenerateResponse, {
      ...RUN, itemId, attempt: 1, model: 'sim-small', input, params: { temperature: 0 }, replicate: options.replicate ?? 1,
      cacheMode: options.cacheMode ?? CacheMode.ReadWrite,
    }, { messageId: `${itemId}:1`, correlationId: RUN.runId });
    return pollUntil(`the outcome of ${itemId}`, async () => events.get(itemId), { timeoutMs: 10_000 });
  }

  beforeAll(async () => {
    const redisPort = await freePort();
    redis = spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    await pollUntil('redis-server', async () => ((await isListening(redisPort)) ? true : undefined));
    sim = await startLlmSim({ port: 0 });
    const env = loadEnvironment(LlmCallerEnv, {
      DATABASE_URL, DB_SCHEMA: id, BUS_PREFIX: id, REDIS_KEY_PREFIX: id, REDIS_URL: `redis://127.0.0.1:${redisPort}`, PORT: '0',
      PROVIDER_BASE_URL: sim.baseURL, PROVIDER_TIMEOUT_MS: '3000', SECRET_KEYS: `test:${Buffer.alloc(32, 1).toString('base64')}`,
    });
    await runMigrations(llmCallerPersistence(env));
    app = await NestFactory.create(AppModule.register(env), { logger: false });
    await app.init();
    bus = app.get(BusConnection);
    const stream = bus.names.stream(Streams.Events);
    await bus.jsm.consumers.add(stream, { durable_name: 'test', ack_policy: AckPolicy.None, deliver_policy: DeliverPolicy.All });
    messages = await (await bus.js.consumers.get(stream, 'test')).consume();
    void (async () => {
      for await (const m of messages) {
        const data = m.json<any>().data;
        events.set(data.itemId, { subject: bus.names.logicalSubject(m.subject), ...data });
      }
    })();
  }, 60_000);

  afterAll(async () => {
    messages?.stop();
    for (const stream of Object.values(Streams)) await bus.jsm.streams.delete(bus.names.stream(stream)).catch(() => undefined);
    await app.close();
    await sim.close();
    redis.kill('SIGKILL');
    const client = new Client({ connectionString: DATABASE_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${id}" CASCADE`);
    await client.end();
  });

  it('answers the same request from the cache at no cost, recording what it saved', async () => {
    const before = await responsesCalls();
    const first = await generate('What is the capital of Chile?');
    const second = await generate('What is the capital of Chile?');
    expect(await responsesCalls()).toBe(before + 1);
    expect(first).toMatchObject({ cacheHit: false, savedCostUsd: 0 });
    expect(first.costUsd).toBeGreaterThan(0);
    expect(second).toMatchObject({ cacheHit: true, costUsd: 0, output: first.output, savedTokens: first.usage.totalTokens });
    expect(second.savedCostUsd).toBeCloseTo(first.costUsd, 10);
    const stats = await app.get(ResponseCache).stats();
    expect(stats).toMatchObject({ hits: 1, misses: 1, hitRate: 0.5, entries: 1 });
    expect(stats.memoryBytes).toBeGreaterThan(0);
  });

  it('keeps replicates apart, so duplicated rows still measure variance', async () => {
    const before = await responsesCalls();
    await generate('Name a prime number.', { replicate: 1 });
    const other = await generate('Name a prime number.', { replicate: 2 });
    expect(other.cacheHit).toBe(false);
    expect(await responsesCalls()).toBe(before + 2);
  });

  it('reads but never writes in read_only mode, and ignores the cache when off', async () => {
    const before = await responsesCalls();
    await generate('read only question', { cacheMode: CacheMode.ReadOnly });
    const again = await generate('read only question', { cacheMode: CacheMode.ReadOnly });
    expect(again.cacheHit).toBe(false);
    await generate('cached then off');
    const off = await generate('cached then off', { cacheMode: CacheMode.Off });
    expect(off.cacheHit).toBe(false);
    const readOnlyHit = await generate('cached then off', { cacheMode: CacheMode.ReadOnly });
    expect(readOnlyHit.cacheHit).toBe(true);
    expect(await responsesCalls()).toBe(before + 4);
  });

  it('collapses identical concurrent requests into one provider call', async () => {
    await fetch(`${sim.url}/sim/config`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ latency: { responses_ms: 300 } }) });
    const before = await responsesCalls();
    const outcomes = await Promise.all(Array.from({ length: 6 }, () => generate('all at once')));
    expect(await responsesCalls()).toBe(before + 1);
    expect(new Set(outcomes.map((o) => o.output)).size).toBe(1);
    await fetch(`${sim.url}/sim/config`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ latency: { responses_ms: 0 } }) });
  });

  it('never caches an error', async () => {
    await fetch(`${sim.url}/sim/config`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ faults: { rate_500: 1 } }) });
    const failed = await generate('fails first');
    expect(failed.subject).toBe(Subjects.ItemStageFailed);
    await fetch(`${sim.url}/sim/config`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ faults: { rate_500: 0 } }) });
    const retried = await generate('fails first');
    expect(retried).toMatchObject({ subject: Subjects.ResponseGenerated, cacheHit: false });
  });

  it('clears the entries of one model', async () => {
    await generate('to be cleared');
    const cache = app.get(ResponseCache);
    expect(await cache.clear('default', 'sim-small')).toBeGreaterThan(0);
    expect((await cache.stats()).entries).toBe(0);
    expect((await generate('to be cleared')).cacheHit).toBe(false);
  });

  it('goes on uncached, with a warning, when Redis stops', async () => {
    redis.kill('SIGKILL');
    await pollUntil('redis to be gone', async () => ((await isListening(Number(new URL(app.get(LlmCallerEnv).REDIS_URL).port))) ? undefined : true));
    const outcome = await generate('while redis is down');
    expect(outcome).toMatchObject({ subject: Subjects.ResponseGenerated, cacheHit: false });
    expect(outcome.warnings).toEqual([expect.stringContaining('unreachable')]);
  }, 20_000);
});

function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}
