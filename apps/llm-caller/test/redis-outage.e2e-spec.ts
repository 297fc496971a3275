import { ChildProcess, spawn } from 'node:child_process';
import { connect } from 'node:net';
import { resolve } from 'node:path';
import { ApiClient, YardstickStack, freePort, pollUntil } from '@yardstick/testing';

const ROOT = resolve(__dirname, '../../..');

const listening = (port: number) => new Promise<boolean>((done) => {
  const socket = connect(port, '127.0.0.1');
  socket.once('connect', () => { socket.destroy(); done(true); });
  socket.once('error', () => done(false));
});

/** The response body of a gateway call. */
async function api(stack: YardstickStack, method: string, path: string, body?: unknown): Promise<any> {
  return (await new ApiClient(stack.gatewayUrl, stack.apiKey).request(method, path, body)).body;
}

describe('Redis stopping mid-run (its own redis-server)', () => {
  let stack: YardstickStack;
  let redis: ChildProcess;
  let redisPort: number;

  beforeAll(async () => {
    redisPort = await freePort();
    redis = spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    await pollUntil('redis-server', async () => ((await listening(redisPort)) ? true : undefined));
    stack = await new YardstickStack({
      root: ROOT, redisUrl: `redis://127.0.0.1:${redisPort}`, simEnv: { LLM_SIM_LATENCY_MS: '100' }, env: { PROVIDER_CONCURRENCY: '4' },
    }).start();
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
    redis?.kill('SIGKILL');
  }, 60_000);

  it('completes the run uncached and says so on the run', async () => {
    const form = new FormData();
    form.set('name', 'outage');
    form.set('file', new Blob([['question,answer', ...Array.from({ length: 60 }, (_, i) => `q${i}?,a${i}.`)].join('\n')]), 'o.csv');
    const dataset = await api(stack, 'POST', '/datasets', form);
    const config = await api(stack, 'POST', '/configs', { name: 'c', model: 'sim-large', prompt_template: '{{question}}' });
    const run = await api(stack, 'POST', '/evaluations', { run_name: 'outage', dataset_id: dataset.id, config_id: config.id, config_version: 1 });
    await pollUntil('a few items done', async () => {
      const current = await api(stack, 'GET', `/evaluations/${run.id}`);
      return current.progress.responses.succeeded >= 8 ? true : undefined;
    }, { timeoutMs: 30_000, intervalMs: 50 });
    redis.kill('SIGKILL');
    const done = await pollUntil('the run to finish without Redis', async () => {
      const current = await api(stack, 'GET', `/evaluations/${run.id}`);
      return current.status === 'running' ? undefined : current;
    }, { timeoutMs: 60_000, intervalMs: 250 });
    expect(done).toMatchObject({ status: 'completed', items_succeeded: 60 });
    expect(done.warnings).toEqual([expect.stringContaining('unreachable')]);
  }, 120_000);
});
