import { ParameterPoint, ParameterValue } from '@yardstick/contracts';
import { Dimension, neighbourValue, pointKey, sampleValue } from './parameter-space';
import { SeededRandom } from './seeded-random';

export interface ScoredPoint {
  point: ParameterPoint;
  score: number;
}

/** Candidates drawn per point picked: the one the history favours most is taken. */
const CANDIDATES = 24;
/** Weight of the uniform prior in each value distribution, as if this many configs had been spread over all values. */
const PRIOR_WEIGHT = 1;

/**
 * How likely a value is among some configs, per dimension. Lists of strings (models, templates) are categories: a
 * value is only evidence for itself, never for its neighbours in the list. Ordered values (numeric lists, stepped
 * ranges) and intervals also lend weight to nearby values (half to the adjacent ones; a Gaussian a tenth of the
 * interval wide), so a smooth parameter is learnt from fewer configs.
 */
class ValueDensity {
  constructor(
    private readonly dimension: Dimension,
    private readonly values: ParameterValue[],
  ) {}

  density(value: ParameterValue): number {
    const d = this.dimension;
    const n = this.values.length;
    if (d.kind === 'discrete') {
      const size = d.values.length;
      const index = d.values.indexOf(value);
      const ordered = typeof d.values[0] === 'number';
      let mass = 0;
      for (const seen of this.values) {
        const distance = Math.abs(d.values.indexOf(seen) - index);
        mass += distance === 0 ? 1 : ordered && distance === 1 ? 0.5 : 0;
      }
      return (mass + PRIOR_WEIGHT / size) / (n * (ordered ? 2 : 1) + PRIOR_WEIGHT);
    }
    const span = d.max - d.min || 1;
    const width = span / 10;
    let mass = 0;
    for (const seen of this.values) mass += Math.exp(-0.5 * (((value as number) - (seen as number)) / width) ** 2) / (width * Math.sqrt(2 * Math.PI));
    return (mass + PRIOR_WEIGHT / span) / (n + PRIOR_WEIGHT);
  }
}

/**
 * `count` untried points that the history suggests are good: a tree-structured Parzen estimator (Bergstra et al.,
 * 2011). The scored configs are split into the `goodCount` best and the rest; each dimension gets a value
 * distribution from each group; candidates are drawn near the good configs, one dimension at a time, and the one
 * with the highest good/rest likelihood ratio is taken. Because each value's evidence pools every config that used
 * it, one config that scored high by luck (a noisy mean over a few items) moves the search less than it would as the
 * single point to step around, and a good value of one parameter is found again with other values of the rest.
 */
export function promisingPoints(
  dimensions: Dimension[], scored: ScoredPoint[], goodCount: number, count: number, seen: Set<string>, random: SeededRandom,
): ParameterPoint[] {
  const ranked = [...scored].sort((a, b) => b.score - a.score);
  const good = ranked.slice(0, goodCount);
  const rest = ranked.slice(goodCount);
  const densities = dimensions.map((d) => ({
    good: new ValueDensity(d, good.map((s) => s.point[d.name]!)),
    rest: new ValueDensity(d, rest.map((s) => s.point[d.name]!)),
  }));
  const points: ParameterPoint[] = [];
  for (let i = 0; i < count; i++) {
    let best: { point: ParameterPoint; ratio: number } | undefined;
    for (let c = 0; c < CANDIDATES; c++) {
      const point = candidate(dimensions, good, random);
      const key = pointKey(point);
      if (seen.has(key)) continue;
      const ratio = dimensions.reduce((sum, d, j) => {
        const value = point[d.name]!;
        return sum + Math.log(densities[j].good.density(value)) - Math.log(densities[j].rest.density(value));
      }, 0);
      if (!best || ratio > best.ratio) best = { point, ratio };
    }
    if (!best) break;
    seen.add(pointKey(best.point));
    points.push(best.point);
  }
  return points;
}

/** Each dimension's value from a good config chosen for it, sometimes moved to a neighbour, sometimes anything (the prior). */
function candidate(dimensions: Dimension[], good: ScoredPoint[], random: SeededRandom): ParameterPoint {
  const point: ParameterPoint = {};
  for (const d of dimensions) {
    const from = random.pick(good).point[d.name];
    const roll = random.next();
    if (from === undefined || roll < 0.15) point[d.name] = sampleValue(d, random);
    else if (roll < 0.4) point[d.name] = neighbourValue(d, from, random);
    else point[d.name] = from;
  }
  return point;
}
