import { resolve } from 'node:path';
import { ApiClient, ServiceProcess, YardstickStack, freePort, pollUntil } from '@yardstick/testing';

const ROOT = resolve(__dirname, '../../..');
const RPM = 300;
const PER_SECOND = RPM / 60;

/** The response body of a gateway call. */
async function api(stack: YardstickStack, method: string, path: string, body?: unknown): Promise<any> {
  return (await new ApiClient(stack.gatewayUrl, stack.apiKey).request(method, path, body)).body;
}

describe('a provider rate limit shared by two llm-caller processes', () => {
  let stack: YardstickStack;
  let second: ServiceProcess;

  beforeAll(async () => {
    stack = await new YardstickStack({ root: ROOT, simEnv: { LLM_SIM_REQUEST_LOG_LIMIT: '10000', LLM_SIM_LATENCY_MS: '30' } }).start();
    const port = await freePort();
    second = new ServiceProcess('llm-caller-2', resolve(ROOT, 'apps/llm-caller/dist/main.js'), stack.serviceEnv('llm-caller', port),
      `http://127.0.0.1:${port}/readyz`);
    await second.start();
  }, 120_000);

  afterAll(async () => {
    await second?.stop();
    await stack?.stop();
  }, 60_000);

  it('keeps the request rate llm-sim sees within the endpoint limit, whichever process calls', async () => {
    const provider = await api(stack, 'POST', '/providers', {
      name: 'limited', kind: 'openai_compatible', base_url: `${stack.simUrl}/v1`, rate_limits: { requests_per_minute: RPM },
    });
    const form = new FormData();
    form.set('name', 'rate');
    form.set('file', new Blob([['question,answer', ...Array.from({ length: 30 }, (_, i) => `q${i}?,a${i}.`)].join('\n')]), 'r.csv');
    const dataset = await api(stack, 'POST', '/datasets', form);
    const config = await api(stack, 'POST', '/configs', { name: 'c', model: 'sim-large', prompt_template: '{{question}}', provider_endpoint_id: provider.id });
    const run = await api(stack, 'POST', '/evaluations', { run_name: 'limited', dataset_id: dataset.id, config_id: config.id, config_version: 1 });
    const done = await pollUntil('the limited run', async () => {
      const current = await api(stack, 'GET', `/evaluations/${run.id}`);
      return current.status === 'running' ? undefined : current;
    }, { timeoutMs: 60_000, intervalMs: 250 });
    expect(done.status).toBe('completed');

    const log = await (await fetch(`${stack.simUrl}/sim/requests`)).json() as { requests: Array<{ endpoint: string; at_ms: number }> };
    const times = log.requests.filter((r) => r.endpoint === 'responses').map((r) => r.at_ms).sort((a, b) => a - b);
    expect(times).toHaveLength(30);
    // The limiter's bucket holds one second's worth: in any window of w seconds, at most (1 + w) seconds' worth, plus delivery
    // slack: requests granted on time can reach llm-sim late and bunch up when the machine is busy (half a second allowed).
    for (let i = 0; i < times.length; i += 1) {
      for (let j = i; j < times.length; j += 1) {
        const windowS = (times[j] - times[i]) / 1000;
        expect(j - i + 1).toBeLessThanOrEqual(Math.floor(PER_SECOND * (1 + windowS + 0.5)));
      }
    }
    expect((times[times.length - 1] - times[0]) / 1000).toBeGreaterThanOrEqual((30 - 2 * PER_SECOND) / PER_SECOND);
  }, 90_000);
});
