import 'reflect-metadata';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Client } from 'pg';
import { BusConnection, BusRpcClient } from '@yardstick/bus';
import { CacheMode, JudgeCompletionRequest, RpcSubjects, ScorerName, ServiceErrorCode } from '@yardstick/contracts';
import { runMigrations } from '@yardstick/persistence';
import { loadEnvironment } from '@yardstick/service-runtime';
import { uniqueTestId } from '@yardstick/testing';
import { startLlmSim } from '../../../tools/llm-sim/src';
import { AppModule } from '../src/app.module';
import { LlmCallerEnv } from '../src/config/llm-caller.env';
import { llmCallerPersistence } from '../src/llm-caller.persistence';

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const PROMPT = 'Grade on a scale from 1 to 10, where 10 is best.\n\n<reference>\nParis\n</reference>\n\n<response>\nIt is Paris.\n</response>';

function judgeRequest(itemId: string, attempt: number): JudgeCompletionRequest {
  return {
    runId: '00000000-0000-4000-8000-000000000001', projectId: '00000000-0000-4000-8000-0000000000aa', itemId, attempt,
    scorer: ScorerName.LlmJudge, model: 'sim-judge', input: PROMPT, params: { temperature: 0 }, cacheMode: CacheMode.Off,
  };
}

describe('judge completions over request/reply (llm-caller against llm-sim; real Postgres, NATS, Redis)', () => {
  const id = uniqueTestId('jdg');
  let app: INestApplication;
  let sim: Awaited<ReturnType<typeof startLlmSim>>;
  let rpc: BusRpcClient;
  const responsesCalls = async (): Promise<number> => ((await (await fetch(`${sim.url}/sim/stats`)).json()) as any).by_endpoint.responses;
  const simConfig = (body: object) =>
    fetch(`${sim.url}/sim/config`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  beforeAll(async () => {
    sim = await startLlmSim({ port: 0 });
    const env = loadEnvironment(LlmCallerEnv, {
      DATABASE_URL, DB_SCHEMA: id, BUS_PREFIX: id, REDIS_KEY_PREFIX: id, PORT: '0', PROVIDER_BASE_URL: sim.baseURL, PROVIDER_TIMEOUT_MS: '2000',
      SECRET_KEYS: `test:${Buffer.alloc(32, 1).toString('base64')}`,
    });
    await runMigrations(llmCallerPersistence(env));
    app = await NestFactory.create(AppModule.register(env), { logger: false });
    await app.init();
    rpc = app.get(BusRpcClient);
  }, 60_000);

  afterAll(async () => {
    const bus = app.get(BusConnection);
    for (const stream of ['CMD', 'EVENTS', 'DLQ']) await bus.jsm.streams.delete(`${id.toUpperCase()}_${stream}`).catch(() => undefined);
    await app.close();
    await sim.close();
    const client = new Client({ connectionString: DATABASE_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${id}" CASCADE`);
    await client.end();
  });

  it('answers with the judge’s completion, priced, and calls the provider once per item however often it is asked', async () => {
    const itemId = '00000000-0000-4000-8000-000000000201';
    const before = await responsesCalls();
    const first = await rpc.request(RpcSubjects.JudgeCompletion, judgeRequest(itemId, 1));
    const again = await rpc.request(RpcSubjects.JudgeCompletion, judgeRequest(itemId, 2));

    expect(first).toMatchObject({ output: 'Score: 10/10', cacheHit: false });
    expect(first.costUsd).toBeGreaterThan(0);
    expect(first.usage.totalTokens).toBe(first.usage.inputTokens + first.usage.outputTokens);
    expect(again).toEqual(first);
    expect((await responsesCalls()) - before).toBe(1);
  }, 20_000);

  it('answers a provider failure with its classified stage error, retryable for a 429', async () => {
    await simConfig({ faults: { rate_429: 1, retry_after_ms: 3000 } });
    try {
      const error = await rpc.request(RpcSubjects.JudgeCompletion, judgeRequest('00000000-0000-4000-8000-000000000202', 1)).catch((e) => e);
      expect(error).toMatchObject({
        code: ServiceErrorCode.Unavailable, details: { stageError: { code: 'rate_limited', retryable: true, retryAfterMs: 3000 } },
      });
    } finally {
      await simConfig({ faults: { rate_429: 0 } });
    }
  }, 20_000);
});
