import { resolve } from 'node:path';
import { NatsServerProcess, PostgresCluster, YardstickStack } from '@yardstick/testing';
import { EvaluationDriver, finishedShare } from './evaluation-driver';

const CONC = process.env.MEASURE_CONC ?? '64';
test('measure', async () => {
  const pg = new PostgresCluster(); const nats = new NatsServerProcess();
  await pg.start(); await nats.start();
  let t = Date.now();
  const stack = await new YardstickStack({ root: resolve(__dirname, '../../../..'), databaseUrl: pg.databaseUrl, natsUrl: nats.url,
    simEnv: { LLM_SIM_LATENCY_MS: '50', LLM_SIM_EMBED_LATENCY_MS: '50' },
    env: { ITEM_LEASE_MS: '8000', RECONCILE_INTERVAL_MS: '500', MAX_ATTEMPTS: '20', RETRY_BASE_DELAY_MS: '200', RETRY_MAX_DELAY_MS: '5000', PROVIDER_TIMEOUT_MS: '10000' },
    serviceEnv: { 'llm-caller': { PROVIDER_CONCURRENCY: CONC } } }).start();
  console.log('stack start ms', Date.now() - t);
  try {
    const d = new EvaluationDriver(stack.gatewayUrl, stack.simUrl);
    t = Date.now();
    const { datasetId, configId } = await d.seed(300);
    console.log('seed ms', Date.now() - t);
    t = Date.now();
    const run = await d.startRun('m', datasetId, configId);
    const series: string[] = [];
    for (;;) {
      const r = await d.getRun(run.id);
      series.push(`${Date.now() - t}:${Math.round(finishedShare(r) * 100)}`);
      if (r.status !== 'running') { console.log(r.status, 'run ms', Date.now() - t); break; }
      await new Promise((x) => setTimeout(x, 100));
    }
    console.log(series.join(' '));
    const s = await d.simStats();
    console.log(JSON.stringify({ ...s, by_fingerprint: Object.keys(s.by_fingerprint).length, by_fingerprint_succeeded: Math.max(...Object.values(s.by_fingerprint_succeeded)) }));
  } finally { t = Date.now(); await stack.stop(); console.log('stop ms', Date.now() - t); await nats.destroy(); await pg.destroy(); }
}, 180000);
