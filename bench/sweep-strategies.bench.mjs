// Guided vs random search on llm-sim's per-model accuracy profiles (bench/sweep-landscape.cjs), over several seeds,
// with the compiled orchestrator strategies and llm-sim modules. `npm run bench:sweep [-- seeds budget wave_size]`.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
// The contracts' payload classes (imported by the strategies) use decorator metadata.
require('reflect-metadata');
const { compare } = require('./sweep-landscape.cjs');
const sim = {
  ...require('../tools/llm-sim/dist/answer-key.js'),
  ...require('../tools/llm-sim/dist/answer-selector.js'),
  ...require('../tools/llm-sim/dist/token-counter.js'),
  ...require('../tools/llm-sim/dist/text-embedding.js'),
  ...require('../libs/prompting/dist/index.js'),
};
const strategies = {
  ...require('../apps/orchestrator/dist/experiments/strategies/parameter-space.js'),
  ...require('../apps/orchestrator/dist/experiments/strategies/random-sampler.js'),
  ...require('../apps/orchestrator/dist/experiments/strategies/guided-search.js'),
};

const [seedCount = 20, budget = 20, waveSize = 4] = process.argv.slice(2).map(Number);
const seeds = Array.from({ length: seedCount }, (_, i) => i + 1);
const started = Date.now();
const result = compare(sim, strategies, { seeds, budget, waveSize });
const f = (x) => x.toFixed(3);
console.log(`llm-sim landscape: 8 models (accuracy 0.3-0.95) x 6 templates (2 carry the question) x 5 max_output_tokens x 2 temperatures`);
console.log(`${result.seeds} seeds, ${budget} runs per sweep, waves of ${waveSize}, ${result.itemCount} items per run (held out: 200)\n`);
console.log('seed  random best / held-out   guided best / held-out');
for (const run of result.runs) {
  console.log(`${String(run.seed).padStart(4)}  ${f(run.random.score)} / ${f(run.random.heldOut)}          ${f(run.guided.score)} / ${f(run.guided.heldOut)}`);
}
console.log(`\nmean best score:     random ${f(result.random.best)}  guided ${f(result.guided.best)}  margin ${f(result.marginBest)}  guided better on ${result.winsBest}/${result.seeds} (ties ${result.ties})`);
console.log(`mean held-out score: random ${f(result.random.heldOut)}  guided ${f(result.guided.heldOut)}  margin ${f(result.marginHeldOut)}  guided better on ${result.winsHeldOut}/${result.seeds}`);
console.log(`runs per sweep: random ${result.random.runs}, guided ${result.guided.runs}; ${Date.now() - started} ms`);
