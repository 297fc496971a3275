// Benchmark: ingest a 100,000-row dataset through POST /datasets, once as CSV and once as JSONL.
// The files are generated on disk with awkward content (quotes, commas, line breaks inside fields, CRLF, emoji, CJK,
// a BOM, long cells) and sent from disk. Prints each upload's wall time and the gateway's peak RSS as ratios
// against the goals (ingest <= 20 s, peak RSS <= 300 MB per service). Then creates a run over the CSV dataset (the
// orchestrator streams the items blob into run_items in batches), prints its time and the orchestrator's peak RSS, and
// cancels it (llm-sim answers slowly, so the run does little work).
// Env: BENCH_ROWS (100000), BENCH_MAX_SECONDS (20), BENCH_MAX_RSS_MB (300), BENCH_SERVICE_ENV (JSON of extra variables for all services),
// BENCH_GATEWAY_ENV (JSON of extra gateway variables, e.g. '{"NODE_OPTIONS":"--max-old-space-size=128"}').
import testing from '@yardstick/testing';
import { once } from 'node:events';
import { createWriteStream, openAsBlob, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const { ApiClient, YardstickStack } = testing;
const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const MAX_SECONDS = Number(process.env.BENCH_MAX_SECONDS ?? 20);
const MAX_RSS_MB = Number(process.env.BENCH_MAX_RSS_MB ?? 300);

const ROOT = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..');
const AWKWARD = ['plain', 'with, a comma', 'with "quotes" inside', 'two\nlines', 'CRLF\r\nbreak', '👋 emoji', 'こんにちは世界', 'tab\there'];

function row(i) {
  const awkward = AWKWARD[i % AWKWARD.length];
  const question = `Q${i}: ${awkward} — what is ${i} × 3? ${'lorem ipsum '.repeat(i % 7 === 0 ? 20 : 2)}`;
  return { question, answer: `${i * 3} (${awkward})`, category: `c${i % 5}` };
}

const csvCell = (value) => (/[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);

async function writeLines(path, header, toLine) {
  const out = createWriteStream(path);
  if (header !== null) out.write(header);
  for (let i = 0; i < ROWS; i += 1) if (!out.write(toLine(row(i)))) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
  return statSync(path).size;
}

const dir = await mkdtemp(join(tmpdir(), 'ys-ingest-bench-'));
const csvPath = join(dir, 'bench.csv');
const jsonlPath = join(dir, 'bench.jsonl');
const csvBytes = await writeLines(csvPath, '\uFEFFquestion,answer,category\r\n', (r) => `${csvCell(r.question)},${csvCell(r.answer)},${r.category}\r\n`);
const jsonlBytes = await writeLines(jsonlPath, null, (r) => `${JSON.stringify(r)}\n`);

const stack = await new YardstickStack({
  root: ROOT,
  simEnv: { LLM_SIM_LATENCY_MS: '60000' },
  env: { DATASET_MAX_ROWS: String(Math.max(ROWS, 100_000)), FAST_MODE_MAX_ITEMS: String(Math.max(ROWS, 100_000)), ...JSON.parse(process.env.BENCH_SERVICE_ENV ?? '{}') },
  serviceEnv: { gateway: JSON.parse(process.env.BENCH_GATEWAY_ENV ?? '{}') },
}).start();

/** The gateway's API: `call` answers the body of a 2xx, or throws naming the status. */
const api = new ApiClient(stack.gatewayUrl, stack.apiKey);

async function upload(name, path, filename) {
  const form = new FormData();
  form.set('name', name);
  form.set('file', await openAsBlob(path), filename); // read from disk while sending, not held in memory
  const started = performance.now();
  const response = await fetch(`${stack.gatewayUrl}/datasets`, { method: 'POST', headers: stack.authHeaders(), body: form });
  const body = await response.json();
  const seconds = (performance.now() - started) / 1000;
  if (response.status !== 201) throw new Error(`${filename}: ${response.status} ${JSON.stringify(body)}`);
  if (body.original_items_count !== ROWS) throw new Error(`${filename}: stored ${body.original_items_count} rows, expected ${ROWS}`);
  return { seconds, id: body.id };
}


let ok = true;
try {
  const gateway = stack.processes.get('gateway');
  console.log(`rows              ${ROWS} (CSV ${(csvBytes / 1024 / 1024).toFixed(1)} MB, JSONL ${(jsonlBytes / 1024 / 1024).toFixed(1)} MB)`);
  console.log(`gateway RSS idle  ${gateway.peakRssMiB()?.toFixed(1)} MiB`);
  const datasets = [];
  for (const [format, path, filename] of [['CSV', csvPath, 'bench.csv'], ['JSONL', jsonlPath, 'bench.jsonl']]) {
    const { seconds, id } = await upload(`bench-${format}`, path, filename);
    datasets.push(id);
    const rss = gateway.peakRssMiB() ?? NaN;
    const timeOk = seconds <= MAX_SECONDS;
    const rssOk = rss <= MAX_RSS_MB;
    ok &&= timeOk && rssOk;
    console.log(`${format.padEnd(6)} ingest    ${seconds.toFixed(2)} s = ${(seconds / MAX_SECONDS).toFixed(2)} x the ${MAX_SECONDS} s goal ${timeOk ? 'OK' : 'OVER'}; ` +
      `${(ROWS / seconds).toFixed(0)} rows/s`);
    console.log(`${format.padEnd(6)} gateway peak RSS so far ${rss.toFixed(1)} MiB = ${(rss / MAX_RSS_MB).toFixed(2)} x the ${MAX_RSS_MB} MB goal ${rssOk ? 'OK' : 'OVER'}`);
  }
  const config = await api.call('POST', '/configs', { name: 'bench', model: 'sim-large', prompt_template: 'Q: {{question}}' });
  const started = performance.now();
  try {
    const run = await api.call('POST', '/evaluations', { run_name: 'bench', dataset_id: datasets[0], config_id: config.id, config_version: 1, run_mode: 'fast' });
    const runSeconds = (performance.now() - started) / 1000;
    const orchestratorRss = stack.processes.get('orchestrator').peakRssMiB() ?? NaN;
    console.log(`run creation      ${run.items_total} items in ${runSeconds.toFixed(2)} s; orchestrator peak RSS ${orchestratorRss.toFixed(1)} MiB = ` +
      `${(orchestratorRss / MAX_RSS_MB).toFixed(2)} x the ${MAX_RSS_MB} MB goal ${orchestratorRss <= MAX_RSS_MB ? 'OK' : 'OVER'}`);
    ok &&= run.items_total === ROWS && orchestratorRss <= MAX_RSS_MB;
    const cancelStarted = performance.now();
    const cancelled = await api.call('POST', `/evaluations/${run.id}/cancel`).then(() => 'ok', (error) => error.message);
    console.log(`run cancel        ${((performance.now() - cancelStarted) / 1000).toFixed(2)} s: ${cancelled}`);
  } catch (error) {
    ok = false;
    console.log(`run creation      FAILED after ${((performance.now() - started) / 1000).toFixed(2)} s: ${error.message}`);
  }
  if (!ok) process.exitCode = 1;
} finally {
  await stack.stop();
  await rm(dir, { recursive: true, force: true });
}
