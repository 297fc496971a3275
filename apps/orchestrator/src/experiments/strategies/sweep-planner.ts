import { ParameterPoint, StrategySpec, SweepStrategy } from '@yardstick/contracts';
import { enumerateGrid, gridCount } from './grid-enumerator';
import { GuidedOptions, nextGuidedWave, TriedConfig } from './guided-search';
import { Dimension, pointKey } from './parameter-space';
import { randomSample } from './random-sampler';

export type SweepStep =
  | { kind: 'create'; wave: number; points: ParameterPoint[] }
  | { kind: 'wait' }
  | { kind: 'done'; reason: string };

export const DEFAULT_RANDOM_SEED = 42;
export const DEFAULT_SAMPLES = 20;

export function guidedOptions(strategy: StrategySpec, maxConcurrentRuns: number): GuidedOptions {
  return {
    samples: strategy.samples ?? DEFAULT_SAMPLES,
    seed: strategy.seed ?? DEFAULT_RANDOM_SEED,
    topK: strategy.topK ?? 3,
    exploreShare: strategy.exploreShare ?? 0.25,
    // A wave runs at once: it is never larger than the concurrency.
    waveSize: Math.min(strategy.waveSize ?? maxConcurrentRuns, maxConcurrentRuns),
    patienceWaves: strategy.patienceWaves ?? 3,
  };
}

/** The configs a grid or random sweep runs, in order (guided sweeps decide wave by wave). */
export function plannedPoints(strategy: StrategySpec, dimensions: Dimension[], gridLimit: number): ParameterPoint[] | null {
  switch (strategy.kind) {
    case SweepStrategy.Grid:
      return enumerateGrid(dimensions, gridLimit);
    case SweepStrategy.Random:
      return randomSample(dimensions, strategy.samples ?? DEFAULT_SAMPLES, strategy.seed ?? DEFAULT_RANDOM_SEED);
    case SweepStrategy.Guided:
      return null;
    default: {
      const unknown: never = strategy.kind;
      throw new Error(`unknown strategy ${String(unknown)}`);
    }
  }
}

/** How many configs the sweep will run at most: shown before it starts. */
export function configsTotal(strategy: StrategySpec, dimensions: Dimension[], gridLimit: number): number {
  if (strategy.kind === SweepStrategy.Grid) {
    gridCount(dimensions);
    return enumerateGrid(dimensions, gridLimit).length;
  }
  return plannedPoints(strategy, dimensions, gridLimit)?.length ?? strategy.samples ?? DEFAULT_SAMPLES;
}

/**
 * What the sweep does next, from what it has tried: start up to `room` configs, wait for running ones, or finish.
 * A pure function of the history, so a restarted orchestrator makes the same choice.
 */
export function planNext(
  strategy: StrategySpec, dimensions: Dimension[], tried: TriedConfig[], room: number, maxConcurrentRuns: number, gridLimit: number,
): SweepStep {
  const running = tried.some((t) => !t.finished);
  const planned = plannedPoints(strategy, dimensions, gridLimit);
  if (planned) {
    const seen = new Set(tried.map((t) => pointKey(t.point)));
    const next = planned.filter((p) => !seen.has(pointKey(p)));
    if (!next.length) return running ? { kind: 'wait' } : { kind: 'done', reason: `ran all ${planned.length} configs` };
    return room > 0 ? { kind: 'create', wave: 0, points: next.slice(0, room) } : { kind: 'wait' };
  }
  const decision = nextGuidedWave(dimensions, tried, guidedOptions(strategy, maxConcurrentRuns));
  if (decision.kind !== 'wave') return decision;
  return { kind: 'create', wave: decision.wave, points: decision.points };
}
