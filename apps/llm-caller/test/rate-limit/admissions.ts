import { BucketShape } from '../../src/rate-limit/token-bucket';

/** The most timestamps (ms, sorted) that fall in any half-open window of `windowMs`. */
export function maxInAnyWindow(times: number[], windowMs: number): number {
  let most = 0;
  for (let first = 0, last = 0; first < times.length; first += 1) {
    while (last < times.length && times[last] < times[first] + windowMs) last += 1;
    most = Math.max(most, last - first);
  }
  return most;
}

/**
 * The token-bucket guarantee is that k consecutive admissions spanning Δ ms need k ≤ capacity + Δ / msPerUnit.
 * Timestamps taken after Redis granted the admissions (by the caller, or by a server the call reached) are a little
 * late, each by its own amount; this returns how many milliseconds of such lateness the observed times need for the
 * guarantee to hold (0 when it holds as observed). A real overshoot needs a whole msPerUnit or more.
 */
export function lateness(times: number[], shape: BucketShape): number {
  let needed = 0;
  for (let i = 0; i < times.length; i += 1) {
    for (let j = i; j < times.length; j += 1) {
      needed = Math.max(needed, (j - i + 1 - shape.capacity) * shape.msPerUnit - (times[j] - times[i]));
    }
  }
  return needed;
}
