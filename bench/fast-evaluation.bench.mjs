// Benchmark: a fast evaluation of N items against llm-sim with response latency L and provider concurrency C.
// The provider-bound limit is N x L / C: no platform can finish sooner with C calls in flight.
// Prints wall time, items/s, wall / limit (the figure to watch; 1.0 is perfect), and each service's peak RSS.
// Env: BENCH_REPLICAS (JSON: service -> replica count), BENCH_SERVICE_ENV (JSON of extra service variables, to try tunings), BENCH_ITEMS (2000), BENCH_LATENCY_MS (200), BENCH_CONCURRENCY (64), BENCH_EMBED_LATENCY_MS (20), BENCH_MAX_RATIO (2.0).
import testing from '@yardstick/testing';
import { resolve } from 'node:path';

const { ApiClient, YardstickStack, ServiceProcess, freePort, pollUntil } = testing;
const N = Number(process.env.BENCH_ITEMS ?? 2000);
const L = Number(process.env.BENCH_LATENCY_MS ?? 200);
const C = Number(process.env.BENCH_CONCURRENCY ?? 64);
const EMBED_L = Number(process.env.BENCH_EMBED_LATENCY_MS ?? 20);
const MAX_RATIO = Number(process.env.BENCH_MAX_RATIO ?? 2.0);

const ROOT = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..');
const stack = await new YardstickStack({
  root: ROOT,
  simEnv: { LLM_SIM_LATENCY_MS: String(L), LLM_SIM_EMBED_LATENCY_MS: String(EMBED_L) },
  env: { PROVIDER_CONCURRENCY: String(C), FAST_MODE_MAX_ITEMS: String(N), RECONCILE_INTERVAL_MS: '2000', ...JSON.parse(process.env.BENCH_SERVICE_ENV ?? '{}') },
}).start();

/** The gateway's API: `call` answers the body of a 2xx, or throws naming the status. */
const api = new ApiClient(stack.gatewayUrl, stack.apiKey);

// Extra replicas of a service (e.g. BENCH_REPLICAS='{"llm-caller":2}'): each service scales on its own.
const extra = [];
for (const [service, count] of Object.entries(JSON.parse(process.env.BENCH_REPLICAS ?? '{}'))) {
  for (let replica = 2; replica <= count; replica += 1) {
    const port = await freePort();
    const proc = new ServiceProcess(`${service}#${replica}`, resolve(ROOT, `apps/${service}/dist/main.js`), stack.serviceEnv(service, port),
      `http://127.0.0.1:${port}/readyz`);
    await proc.start();
    extra.push(proc);
  }
}


try {
  const lines = ['question,answer,category'];
  for (let i = 0; i < N; i += 1) lines.push(`What is fact number ${i}?,Fact ${i} is that ${i} times 3 equals ${i * 3}.,c${i % 5}`);
  const form = new FormData();
  form.set('name', `bench-${N}`);
  form.set('file', new Blob([lines.join('\n')]), 'bench.csv');
  const dataset = await api.call('POST', '/datasets', form);
  const config = await api.call('POST', '/configs', { name: 'bench', model: 'sim-large', prompt_template: 'Q: {{question}}' });

  const simCalls = async () => (await (await fetch(`${stack.simUrl}/sim/stats`)).json()).total;
  const timedRun = async (runName) => {
    const started = performance.now();
    const run = await api.call('POST', '/evaluations', {
      run_name: runName, dataset_id: dataset.id, config_id: config.id, config_version: 1, run_mode: 'fast',
    });
    const result = await pollUntil(runName, async () => {
      const current = await api.call('GET', `/evaluations/${run.id}`);
      return current.status === 'running' ? undefined : current;
    }, { timeoutMs: 30 * 60_000, intervalMs: 250 });
    return { result, wallS: (performance.now() - started) / 1000 };
  };

  const { result: done, wallS } = await timedRun('bench');
  const callsBefore = await simCalls();
  const { result: again, wallS: againS } = await timedRun('bench again (cached)');
  const cachedCalls = (await simCalls()) - callsBefore;
  const limitS = (N * L) / C / 1000;
  const ratio = wallS / limitS;

  console.log(`fast evaluation benchmark: N=${N} items, L=${L} ms response latency (${EMBED_L} ms embeddings), C=${C}`);
  console.log(`status            ${done.status} (${done.items_succeeded}/${done.items_total} items succeeded)`);
  console.log(`wall time         ${wallS.toFixed(2)} s`);
  console.log(`throughput        ${(N / wallS).toFixed(1)} items/s`);
  console.log(`provider limit    N x L / C = ${limitS.toFixed(2)} s`);
  console.log(`ratio             ${ratio.toFixed(2)} x the provider-bound limit (stated limit: <= ${MAX_RATIO.toFixed(2)}) ${ratio <= MAX_RATIO ? 'OK' : 'OVER'}`);
  console.log(`second run, same config (response cache): ${againS.toFixed(2)} s, ${(wallS / againS).toFixed(1)}x faster than the first (goal >= 10x), ${cachedCalls} provider calls (goal 0), cost ${again.cost.total_cost_usd} USD, saved ${again.cache.saved_cost_usd.toFixed(6)} USD, status ${again.status}`);
  console.log('service              peak RSS (MiB)   CPU (s)');
  for (const [name, proc] of [...stack.processes, ...extra.map((p) => [p.name, p])]) {
    console.log(`  ${name.padEnd(20)} ${(proc.peakRssMiB()?.toFixed(1) ?? '?').padStart(10)} ${(proc.cpuSeconds?.()?.toFixed(1) ?? '?').padStart(9)}`);
  }
  if (done.status !== 'completed' || again.status !== 'completed') process.exitCode = 1;
} finally {
  await Promise.all(extra.map((p) => p.stop()));
  await stack.stop();
}
