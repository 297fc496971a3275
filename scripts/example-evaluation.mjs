// The example evaluation: upload a dataset, define two model configs, run both in fast mode, print a result table.
// Usage: node scripts/example-evaluation.mjs <api base url> <dataset csv>; the API key is $YARDSTICK_API_KEY or .data/api-key.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

const [api = 'http://127.0.0.1:3000/api/v1', datasetPath = 'examples/world-facts.csv'] = process.argv.slice(2);

const apiKey = process.env.YARDSTICK_API_KEY ?? readFileSync('.data/api-key', 'utf8').trim();

async function call(method, path, body) {
  const init = { method, headers: { authorization: `Bearer ${apiKey}` } };
  if (body instanceof FormData) init.body = body;
  else if (body) Object.assign(init, { body: JSON.stringify(body), headers: { ...init.headers, 'content-type': 'application/json' } });
  const response = await fetch(`${api}${path}`, init);
  const json = await response.json();
  if (!response.ok) throw new Error(`${method} ${path} -> ${response.status}: ${JSON.stringify(json.error ?? json)}`);
  return json;
}

const form = new FormData();
form.set('name', basename(datasetPath));
form.set('file', new Blob([readFileSync(datasetPath)]), basename(datasetPath));
const dataset = await call('POST', '/datasets', form);
console.log(`dataset ${dataset.name}: ${dataset.total_items_count} items`);

const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const runs = [];
for (const model of ['sim-large', 'sim-small']) {
  const config = await call('POST', '/configs', {
    name: `${model} concise`, model, instructions: 'Answer in one short sentence.', prompt_template: 'Question: {{question}}',
    params: { temperature: 0, max_output_tokens: 200 },
  });
  const started = Date.now();
  const run = await call('POST', '/evaluations', {
    run_name: `example ${model} ${stamp}`, dataset_id: dataset.id, config_id: config.id, config_version: config.version, run_mode: 'fast',
  });
  runs.push({ model, id: run.id, started });
}

const deadline = Date.now() + 120_000;
const finished = [];
for (const run of runs) {
  for (;;) {
    const current = await call('GET', `/evaluations/${run.id}`);
    if (current.status !== 'running') {
      finished.push({ ...run, result: current, wallMs: Date.parse(current.completed_at) - Date.parse(current.created_at) });
      break;
    }
    if (Date.now() > deadline) throw new Error(`run ${run.id} did not finish in time`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const rows = finished.map(({ model, result, wallMs }) => ({
  run: result.run_name,
  model,
  status: result.status,
  items: `${result.items_succeeded}/${result.items_total}`,
  'mean score': result.score.mean?.toFixed(4) ?? '-',
  'std': result.score.std?.toFixed(4) ?? '-',
  tokens: result.usage.total_tokens,
  'cost (USD)': result.cost.total_cost_usd.toFixed(6),
  'wall time': `${(wallMs / 1000).toFixed(2)} s`,
}));
console.table(rows);
const failed = finished.filter((r) => r.result.status !== 'completed');
if (failed.length) {
  console.error(`runs not completed: ${failed.map((r) => `${r.id} (${r.result.error})`).join(', ')}`);
  process.exit(1);
}
