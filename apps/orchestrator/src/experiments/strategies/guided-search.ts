import { ParameterPoint } from '@yardstick/contracts';
import { Dimension, pointKey, samplePoint } from './parameter-space';
import { promisingPoints } from './promising-points';
import { deriveSeed, SeededRandom } from './seeded-random';

export interface GuidedOptions {
  /** Most configs in all. */
  samples: number;
  seed: number;
  /** How many of the best configs so far each wave learns from (the good group of `promisingPoints`). */
  topK: number;
  /** Share of each wave drawn at random. */
  exploreShare: number;
  waveSize: number;
  /** Stop after this many finished waves without a better best score. */
  patienceWaves: number;
}

export interface TriedConfig {
  point: ParameterPoint;
  /** Null when the run scored nothing (or has not finished). */
  score: number | null;
  wave: number;
  finished: boolean;
}

export type GuidedDecision =
  | { kind: 'wave'; wave: number; points: ParameterPoint[] }
  /** The current wave is still running: its scores decide the next one. */
  | { kind: 'wait' }
  | { kind: 'done'; reason: string };

/**
 * Guided search in waves. Wave 0 is random. Each later wave spends `exploreShare` of its configs on random points
 * and the rest on the untried points the history favours (`promisingPoints`: the top K configs against the rest,
 * value by value, strings as categories), never a config already tried.
 * A wave starts only when the previous one finished, so the decision is a pure function of the history and seed:
 * after a restart the same history gives the same wave.
 */
export function nextGuidedWave(dimensions: Dimension[], tried: TriedConfig[], options: GuidedOptions): GuidedDecision {
  if (tried.some((t) => !t.finished)) return { kind: 'wait' };
  if (tried.length >= options.samples) return { kind: 'done', reason: `ran ${tried.length} configs, the most asked for` };
  const stale = wavesWithoutImprovement(tried);
  if (stale >= options.patienceWaves) return { kind: 'done', reason: `no better config in the last ${stale} waves` };

  const wave = tried.length ? Math.max(...tried.map((t) => t.wave)) + 1 : 0;
  const random = new SeededRandom(deriveSeed(options.seed, wave));
  const size = Math.min(options.waveSize, options.samples - tried.length);
  const seen = new Set(tried.map((t) => pointKey(t.point)));
  const scored = tried.filter((t) => t.score !== null).map((t) => ({ point: t.point, score: t.score! }));
  const exploit = wave === 0 || !scored.length ? 0 : size - Math.round(size * options.exploreShare);
  // The good group: the top K, fewer while the history is short (a quarter of it), so it stays the best configs.
  const goodCount = Math.max(1, Math.min(options.topK, Math.ceil(scored.length / 4)));
  const points = promisingPoints(dimensions, scored, goodCount, exploit, seen, random);
  for (let misses = 0; points.length < size && misses < 50;) {
    const point = samplePoint(dimensions, random);
    const key = pointKey(point);
    if (seen.has(key)) misses += 1;
    else {
      seen.add(key);
      points.push(point);
    }
  }
  if (!points.length) return { kind: 'done', reason: 'the parameter space has no untried config left' };
  return { kind: 'wave', wave, points };
}

/** Finished waves since the wave that last raised the best score (all of them when none scored). */
export function wavesWithoutImprovement(tried: TriedConfig[]): number {
  const waves = [...new Set(tried.map((t) => t.wave))].sort((a, b) => a - b);
  let best = -Infinity;
  let stale = 0;
  for (const wave of waves) {
    const waveBest = Math.max(-Infinity, ...tried.filter((t) => t.wave === wave && t.score !== null).map((t) => t.score!));
    if (waveBest > best) {
      best = waveBest;
      stale = 0;
    } else stale += 1;
  }
  return stale;
}
