// Paired comparison of two runs on the same items: the differences d_i = candidate_i − base_i of each pair.

import { studentTCritical, studentTTwoSidedP } from './student-t';

export interface PairedTTest {
  /** Pairs compared. */
  n: number;
  meanDelta: number | null;
  /** Sample standard deviation of the differences (divides by n − 1). */
  stdDelta: number | null;
  standardError: number | null;
  t: number | null;
  degreesOfFreedom: number | null;
  /** Two-sided p-value against "no difference"; null with fewer than two pairs. */
  pValue: number | null;
  /** Confidence interval of the mean difference, mean ± t_crit · SE. */
  confidenceInterval: [number, number] | null;
  confidence: number;
}

/**
 * Paired t-test on the differences: t = mean(d) / (sd(d) / √n), n − 1 degrees of freedom. With all differences equal the
 * spread is 0: t is 0 (p = 1) when they are all 0, and ±∞ (p = 0) otherwise.
 */
export function pairedTTest(deltas: readonly number[], confidence = 0.95): PairedTTest {
  const n = deltas.length;
  const empty: PairedTTest = {
    n, meanDelta: null, stdDelta: null, standardError: null, t: null, degreesOfFreedom: null, pValue: null, confidenceInterval: null, confidence,
  };
  if (n === 0) return empty;
  const meanDelta = sum(deltas) / n;
  if (n === 1) return { ...empty, meanDelta };
  let squares = 0;
  for (const d of deltas) squares += (d - meanDelta) ** 2;
  const stdDelta = Math.sqrt(squares / (n - 1));
  const standardError = stdDelta / Math.sqrt(n);
  const df = n - 1;
  // Spread below floating-point noise counts as none, so n identical differences do not give a huge t from rounding.
  const noSpread = standardError <= 1e-12 * Math.max(1, Math.abs(meanDelta));
  const t = noSpread ? (meanDelta === 0 ? 0 : Math.sign(meanDelta) * Number.POSITIVE_INFINITY) : meanDelta / standardError;
  const half = noSpread ? 0 : studentTCritical(confidence, df) * standardError;
  return {
    n, meanDelta, stdDelta, standardError, t, degreesOfFreedom: df, pValue: noSpread ? (meanDelta === 0 ? 1 : 0) : studentTTwoSidedP(t, df),
    confidenceInterval: [meanDelta - half, meanDelta + half], confidence,
  };
}

export interface BootstrapInterval {
  n: number;
  meanDelta: number | null;
  /** Percentile interval of the resampled means; null without pairs. */
  confidenceInterval: [number, number] | null;
  confidence: number;
  resamples: number;
  seed: number;
}

/**
 * Paired bootstrap: resample the pairs with replacement `resamples` times, take each resample's mean difference, and report
 * the percentile interval (type 7 percentiles) of those means. Seeded, so the same data always gives the same interval.
 */
export function pairedBootstrap(deltas: readonly number[], options: { resamples?: number; seed?: number; confidence?: number } = {}): BootstrapInterval {
  const { resamples = 2000, seed = 1, confidence = 0.95 } = options;
  const n = deltas.length;
  if (!(resamples >= 1)) throw new RangeError(`resamples ${resamples} must be at least 1`);
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence ${confidence} is outside (0, 1)`);
  if (n === 0) return { n, meanDelta: null, confidenceInterval: null, confidence, resamples, seed };
  const random = seededRandom(seed);
  const means = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let total = 0;
    for (let i = 0; i < n; i++) total += deltas[Math.floor(random() * n)];
    means[r] = total / n;
  }
  means.sort();
  const at = (p: number) => {
    const rank = (resamples - 1) * p;
    const below = Math.floor(rank);
    return means[below] + (rank - below) * (means[Math.ceil(rank)] - means[below]);
  };
  return { n, meanDelta: sum(deltas) / n, confidenceInterval: [at((1 - confidence) / 2), at((1 + confidence) / 2)], confidence, resamples, seed };
}

/** mulberry32: a small, fast 32-bit PRNG; uniform in [0, 1). Not for secrets, only for reproducible resampling. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = state;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

function sum(values: readonly number[]): number {
  let total = 0;
  for (const value of values) {
    if (!Number.isFinite(value)) throw new RangeError(`difference ${value} is not a finite number`);
    total += value;
  }
  return total;
}
