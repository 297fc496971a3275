import { ParameterPoint } from '@yardstick/contracts';
import { Dimension, pointKey, samplePoint } from './parameter-space';
import { SeededRandom } from './seeded-random';

/**
 * `samples` distinct points drawn with a PRNG seeded by `seed`: the same space, count and seed always give the
 * same list. Fewer when the space has fewer distinct points (it stops after many draws in a row find nothing new).
 */
export function randomSample(dimensions: Dimension[], samples: number, seed: number): ParameterPoint[] {
  const random = new SeededRandom(seed);
  const seen = new Set<string>();
  const points: ParameterPoint[] = [];
  let misses = 0;
  while (points.length < samples && misses < 1_000) {
    const point = samplePoint(dimensions, random);
    const key = pointKey(point);
    if (seen.has(key)) {
      misses += 1;
      continue;
    }
    misses = 0;
    seen.add(key);
    points.push(point);
  }
  return points;
}
