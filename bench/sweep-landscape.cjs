'use strict';
/**
 * The llm-sim landscape the sweep strategies are compared on (docs/experiments.md, "Measured"), shared by
 * `bench/sweep-strategies.bench.mjs` (compiled code) and the orchestrator's guided-vs-random integration test (sources).
 *
 * A config's score is computed with llm-sim's own per-request code, not over HTTP: `AnswerKey.findQuestion` and
 * `selectAnswer` (correct with the model's accuracy, decided by a hash of sim seed, model, temperature and question),
 * `truncateToTokens` (max_output_tokens), `embedText` for output and ground truth, and the cosine_similarity scorer's
 * formula (cosine clamped to [0, 1]), averaged over the items like a config's score. The prompt is the instructions and
 * the rendered template (`renderPromptTemplate`), as llm-caller sends them.
 */

/** 8 models, accuracy 0.3 to 0.95 (llm-sim `accuracy` profiles). */
const ACCURACY = {
  'sim-a': 0.3, 'sim-b': 0.45, 'sim-c': 0.55, 'sim-d': 0.65, 'sim-e': 0.75, 'sim-f': 0.82, 'sim-g': 0.9, 'sim-h': 0.95,
};
/** 6 templates, two of which carry the question (the others get llm-sim's generic answers). */
const TEMPLATES = [
  'Answer the question.', 'Q: {{question}}', 'Be concise and accurate.', 'Category: {{category}}', '{{question}}', 'Reply in one line.',
];
const WORDS1 = ['amber', 'basalt', 'cobalt', 'dune', 'ember', 'fjord', 'granite'];
const WORDS2 = ['falcon', 'glacier', 'harbor', 'island', 'juniper'];

/** The parameter space (ParameterSpec[], as an experiment's `parameter_space`): 8 x 6 x 5 x 2 = 480 configs. */
const SPACE = [
  { name: 'model', values: Object.keys(ACCURACY) },
  { name: 'prompt_template', values: TEMPLATES },
  { name: 'max_output_tokens', values: [2, 3, 4, 16, 64] },
  { name: 'temperature', values: [0, 0.7] },
];

function items(count, offset) {
  return Array.from({ length: count }, (_, j) => {
    const i = j + offset;
    return { question: `What is the code word of expedition ${i}?`, answer: `${WORDS1[i % 7]} ${WORDS2[i % 5]} ${i}`, category: 'code words' };
  });
}

/**
 * `sim`: llm-sim's modules ({ AnswerKey, selectAnswer, truncateToTokens, embedText, cosineSimilarity }) and
 * `renderPromptTemplate`; `simSeed`: llm-sim's seed (a different seed is a different draw of correct answers).
 * `score(point)` is a config's score on the `items` evaluated items; `heldOut(point)` on 200 other items: the config's
 * quality as a fresh evaluation would measure it, free of the luck that made it win the sweep.
 */
function createLandscape(sim, { simSeed = 0, itemCount = 20, heldOutCount = 200 } = {}) {
  const evaluated = items(itemCount, 0);
  const fresh = items(heldOutCount, 10_000);
  const key = new sim.AnswerKey([...evaluated, ...fresh]);
  const truth = new Map([...evaluated, ...fresh].map((item) => [item.question, sim.embedText(item.answer)]));
  const cache = new Map();
  const scoreOn = (point, rows) => {
    const model = point.model;
    let sum = 0;
    for (const row of rows) {
      const prompt = sim.renderPromptTemplate(point.prompt_template, { question: row.question, category: row.category });
      const answer = sim.selectAnswer(key, { prompt, model, temperature: point.temperature, requestSeed: null }, ACCURACY[model], simSeed);
      const output = sim.truncateToTokens(answer.text, point.max_output_tokens).text;
      sum += Math.min(1, Math.max(0, sim.cosineSimilarity(sim.embedText(output), truth.get(row.question))));
    }
    return sum / rows.length;
  };
  const memo = (tag, rows) => (point) => {
    const id = `${tag}:${JSON.stringify(point)}`;
    if (!cache.has(id)) cache.set(id, scoreOn(point, rows));
    return cache.get(id);
  };
  return { space: SPACE, score: memo('evaluated', evaluated), heldOut: memo('held-out', fresh) };
}

/**
 * Runs random and guided sweeps of `budget` configs on one landscape and seed. `strategies`: the orchestrator's
 * { parseSpace, randomSample, nextGuidedWave }. The leaderboard's top config (best score, ties to the earlier) is what
 * each strategy "finds"; reported with its score and held-out score.
 */
function compareOnce(strategies, landscape, { seed, budget, waveSize }) {
  const dimensions = strategies.parseSpace(landscape.space);
  const top = (points) => {
    let best = null;
    for (const point of points) {
      const score = landscape.score(point);
      if (!best || score > best.score) best = { point, score };
    }
    return { ...best, heldOut: landscape.heldOut(best.point), runs: points.length };
  };
  const random = top(strategies.randomSample(dimensions, budget, seed));
  const tried = [];
  const options = { samples: budget, seed, topK: 3, exploreShare: 0.25, waveSize, patienceWaves: Number.MAX_SAFE_INTEGER };
  for (;;) {
    const decision = strategies.nextGuidedWave(dimensions, tried, options);
    if (decision.kind !== 'wave') break;
    for (const point of decision.points) tried.push({ point, score: landscape.score(point), wave: decision.wave, finished: true });
  }
  return { random, guided: top(tried.map((t) => t.point)) };
}

/** `seeds` runs (seed s: llm-sim seed s and strategy seed s); means, margins and wins of guided over random. */
function compare(sim, strategies, { seeds, budget = 20, waveSize = 4, itemCount = 20 }) {
  const runs = seeds.map((seed) => ({ seed, ...compareOnce(strategies, createLandscape(sim, { simSeed: seed, itemCount }), { seed, budget, waveSize }) }));
  const mean = (pick) => runs.reduce((sum, run) => sum + pick(run), 0) / runs.length;
  const summary = {
    seeds: runs.length, budget, waveSize, itemCount,
    random: { best: mean((r) => r.random.score), heldOut: mean((r) => r.random.heldOut), runs: mean((r) => r.random.runs) },
    guided: { best: mean((r) => r.guided.score), heldOut: mean((r) => r.guided.heldOut), runs: mean((r) => r.guided.runs) },
    winsBest: runs.filter((r) => r.guided.score > r.random.score).length,
    winsHeldOut: runs.filter((r) => r.guided.heldOut > r.random.heldOut).length,
    ties: runs.filter((r) => r.guided.score === r.random.score).length,
  };
  return { ...summary, marginBest: summary.guided.best - summary.random.best, marginHeldOut: summary.guided.heldOut - summary.random.heldOut, runs };
}

module.exports = { ACCURACY, SPACE, createLandscape, compare };
