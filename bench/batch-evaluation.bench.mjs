// Benchmark: batch mode. A 100,000-row CSV is ingested through POST /datasets, then evaluated with run_mode "batch"
// against llm-sim's Batch API on a fast batch clock (2 provider batches of 50,000 requests). Prints the ingest time, the
// run's wall time, the platform's time outside the sim's batch window (wall minus the time a sim batch was open:
// submitting, polling, collecting, embedding and scoring are what is left), each service's peak RSS and the size of the
// stack's database schemas, against the goals (ingest <= 20 s, platform time <= 60 s, peak RSS <= 300 MB per service).
// Env: BENCH_ROWS (100000), BENCH_LOG_DIR (keep each process's output there), BENCH_UNTIL (`done`, or `collected`: stop once
// every provider batch's results are collected and being recorded, print the figures so far and stop), BENCH_SERVICE_ENV (JSON of extra variables for all services), BENCH_SIM_ENV (JSON, LLM_SIM_*).
import testing from '@yardstick/testing';
import { once } from 'node:events';
import { createWriteStream, openAsBlob } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';

const { ApiClient, YardstickStack, pollUntil } = testing;
const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const GOALS = { ingestS: 20, platformS: 60, rssMiB: 300 };
const ROOT = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..');

const dir = await mkdtemp(join(tmpdir(), 'ys-batch-bench-'));
const csvPath = join(dir, 'bench.csv');
const out = createWriteStream(csvPath);
out.write('question,answer,category\n');
for (let i = 0; i < ROWS; i += 1) {
  if (!out.write(`What is fact number ${i}?,Fact ${i} is that ${i} times 3 equals ${i * 3}.,c${i % 5}\n`)) await once(out, 'drain');
}
out.end();
await once(out, 'finish');

const stack = await new YardstickStack({
  root: ROOT,
  logDir: process.env.BENCH_LOG_DIR,
  simEnv: {
    LLM_SIM_BATCH_VALIDATING_MS: '100', LLM_SIM_BATCH_REQUEST_MS: '0', LLM_SIM_BATCH_FINALIZING_MS: '100', LLM_SIM_EMBED_LATENCY_MS: '0',
    ...JSON.parse(process.env.BENCH_SIM_ENV ?? '{}'),
  },
  env: {
    DATASET_MAX_ROWS: String(Math.max(ROWS, 100_000)), BATCH_TICK_MS: '250', BATCH_POLL_MIN_MS: '250', BATCH_POLL_MAX_MS: '2000',
    ...JSON.parse(process.env.BENCH_SERVICE_ENV ?? '{}'),
  },
}).start();

/** The gateway's API: `call` answers the body of a 2xx, or throws naming the status. */
const api = new ApiClient(stack.gatewayUrl, stack.apiKey);

/** Seconds during which at least one sim batch was open (created → ended), within [from, to] (epoch seconds). */
function batchWindowS(batches, from, to) {
  const spans = batches
    .map((b) => [Math.max(from, b.created_at), Math.min(to, b.completed_at ?? b.expired_at ?? b.failed_at ?? b.cancelled_at ?? to)])
    .filter(([start, end]) => end > start)
    .sort((a, b) => a[0] - b[0]);
  let total = 0;
  let open = null;
  for (const [s, e] of spans) {
    if (open && s <= open[1]) open[1] = Math.max(open[1], e);
    else {
      if (open) total += open[1] - open[0];
      open = [s, e];
    }
  }
  return total + (open ? open[1] - open[0] : 0);
}

const db = new pg.Client({ connectionString: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test' });
try {
  const form = new FormData();
  form.set('name', `batch-bench-${ROWS}`);
  form.set('file', await openAsBlob(csvPath), 'bench.csv');
  const ingestStarted = performance.now();
  const dataset = await api.call('POST', '/datasets', form);
  const ingestS = (performance.now() - ingestStarted) / 1000;
  const config = await api.call('POST', '/configs', { name: 'batch bench', model: 'sim-small', prompt_template: 'Q: {{question}}' });

  await db.connect();
  const runStarted = Date.now();
  const run = await api.call('POST', '/evaluations', {
    run_name: 'batch bench', dataset_id: dataset.id, config_id: config.id, config_version: 1, run_mode: 'batch',
  });
  const expectedBatches = Math.ceil(ROWS / 50_000);
  const done = await pollUntil('the batch run', async () => {
    if (process.env.BENCH_UNTIL === 'collected') {
      // Collected: every stage batch has begun recording its results (which starts once llm-caller has written them).
      const { rows: [state] } = await db.query(
        `SELECT count(DISTINCT stage_batch_id)::int AS total FROM ${stack.schema('orchestrator')}.item_stages
         WHERE run_id = $1 AND stage = 'responses' AND state = 'succeeded'`, [run.id]);
      if (state.total >= expectedBatches) {
        const { rows: [recorded] } = await db.query(
          `SELECT count(*)::int AS n FROM ${stack.schema('orchestrator')}.item_stages WHERE run_id = $1 AND stage = 'responses' AND state = 'succeeded'`, [run.id]);
        console.log(`collected after ${((Date.now() - runStarted) / 1000).toFixed(1)} s (${state.total} stage batches); ${recorded.n} responses recorded so far; stopping`);
        return { status: 'collected', items_total: ROWS, items_succeeded: recorded.n, items_failed: 0, cost: null };
      }
    }
    // The run's status is read from the database, not the API: polling GET /evaluations/:id (it counts every stage's
    // items) twice a second would load the database with the bench's own watching, not with the platform's work.
    const { rows: [current] } = await db.query(`SELECT status::text AS status FROM ${stack.schema('orchestrator')}.evaluation_runs WHERE id = $1`, [run.id]);
    return current.status === 'running' ? undefined : api.call('GET', `/evaluations/${run.id}`);
  }, { timeoutMs: 60 * 60_000, intervalMs: 250 });
  const runEnded = Date.now();
  const wallS = (runEnded - runStarted) / 1000;
  const batches = (await (await fetch(`${stack.simUrl}/v1/batches?limit=100`)).json()).data;
  // The sim's timestamps are whole seconds (as OpenAI's): the window is exact to about a second per batch.
  const windowS = batchWindowS(batches, Math.floor(runStarted / 1000), Math.ceil(runEnded / 1000));
  const platformS = wallS - windowS;

  const schemas = [...stack.processes.keys()].filter((name) => name !== 'llm-sim').map((name) => stack.schema(name));
  const { rows: [size] } = await db.query(
    `SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint AS bytes FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = ANY($1) AND c.relkind IN ('r', 'm')`,
    [schemas],
  );

  const verdict = (ok) => (ok ? 'OK' : 'OVER');
  console.log(`batch evaluation benchmark: ${ROWS} rows, ${batches.length} provider batches (${batches.map((b) => `${b.status} ${b.request_counts.total}`).join(', ')})`);
  console.log(`status               ${done.status} (${done.items_succeeded}/${done.items_total} succeeded, ${done.items_failed} failed)`);
  console.log(`ingest               ${ingestS.toFixed(2)} s (goal <= ${GOALS.ingestS} s) ${verdict(ingestS <= GOALS.ingestS)}`);
  console.log(`run wall time        ${wallS.toFixed(1)} s`);
  console.log(`sim batch window     ${windowS.toFixed(1)} s`);
  console.log(`platform time        ${platformS.toFixed(1)} s outside the batch window (goal <= ${GOALS.platformS} s) ${verdict(platformS <= GOALS.platformS)}`);
  console.log(`cost                 ${JSON.stringify(done.cost)} (batch prices)`);
  console.log(`database size        ${(Number(size.bytes) / 1024 / 1024).toFixed(1)} MiB (the stack's schemas, tables with indexes and TOAST)`);
  console.log('service              peak RSS (MiB)');
  let rssOk = true;
  for (const [name, proc] of stack.processes) {
    const rss = proc.peakRssMiB();
    if (name !== 'llm-sim' && !(rss <= GOALS.rssMiB)) rssOk = false;
    console.log(`  ${name.padEnd(20)} ${(rss?.toFixed(1) ?? '?').padStart(10)}`);
  }
  console.log(`peak RSS per service ${verdict(rssOk)} (goal <= ${GOALS.rssMiB} MB; llm-sim not counted)`);
  if (done.status !== 'completed' && process.env.BENCH_UNTIL !== 'collected') process.exitCode = 1;
} finally {
  await db.end().catch(() => undefined);
  await stack.stop();
  await rm(dir, { recursive: true, force: true });
}
