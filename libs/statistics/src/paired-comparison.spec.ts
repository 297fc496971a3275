import { pairedBootstrap, pairedTTest, seededRandom } from './paired-comparison';

describe('paired comparison', () => {
  describe(pairedTTest.name, () => {
    it('matches a paired t-test computed by hand', () => {
      // d = 1, 2, 3, 4: mean 2.5; sd = √(5/3); SE = sd/2; t = 2.5/SE = √15 = 3.8730; df 3
      const result = pairedTTest([1, 2, 3, 4]);
      const se = Math.sqrt(5 / 3) / 2;
      expect(result.n).toBe(4);
      expect(result.meanDelta).toBe(2.5);
      expect(result.stdDelta).toBeCloseTo(Math.sqrt(5 / 3), 12);
      expect(result.standardError).toBeCloseTo(se, 12);
      expect(result.t).toBeCloseTo(Math.sqrt(15), 12);
      expect(result.degreesOfFreedom).toBe(3);
      // two-sided p for df 3 from the closed form: 2(1 − F(t)), F(t) = 1/2 + (u/(1+u²) + atan(u))/π, u = t/√3 = √5
      const u = Math.sqrt(5);
      expect(result.pValue).toBeCloseTo(2 * (0.5 - (u / (1 + u * u) + Math.atan(u)) / Math.PI), 10);
      expect(result.pValue).toBeCloseTo(0.03047, 5);
      expect(result.confidenceInterval![0]).toBeCloseTo(2.5 - 3.182446305 * se, 6);
      expect(result.confidenceInterval![1]).toBeCloseTo(2.5 + 3.182446305 * se, 6);
    });

    it('is symmetric: swapping base and candidate flips the sign only', () => {
      const forward = pairedTTest([0.1, -0.3, 0.25, 0.05, 0]);
      const backward = pairedTTest([-0.1, 0.3, -0.25, -0.05, 0]);
      expect(backward.t).toBeCloseTo(-forward.t!, 12);
      expect(backward.pValue).toBeCloseTo(forward.pValue!, 12);
    });

    it('handles no spread, one pair and no pairs without NaN', () => {
      expect(pairedTTest([0, 0, 0])).toMatchObject({ t: 0, pValue: 1, confidenceInterval: [0, 0] });
      expect(pairedTTest([0.5, 0.5])).toMatchObject({ t: Number.POSITIVE_INFINITY, pValue: 0, confidenceInterval: [0.5, 0.5] });
      expect(pairedTTest([0.2])).toMatchObject({ n: 1, meanDelta: 0.2, t: null, pValue: null, confidenceInterval: null });
      expect(pairedTTest([])).toMatchObject({ n: 0, meanDelta: null, pValue: null });
    });
  });

  describe(pairedBootstrap.name, () => {
    it('gives the same interval for the same seed, and resamples the mean', () => {
      const deltas = [0.1, -0.2, 0.4, 0, 0.3, -0.1, 0.2];
      const first = pairedBootstrap(deltas, { seed: 42, resamples: 500 });
      expect(pairedBootstrap(deltas, { seed: 42, resamples: 500 })).toEqual(first);
      expect(first.meanDelta).toBeCloseTo(0.1, 12);
      const [low, high] = first.confidenceInterval!;
      expect(low).toBeLessThan(0.1);
      expect(high).toBeGreaterThan(0.1);
      expect(low).toBeGreaterThanOrEqual(-0.2);
      expect(high).toBeLessThanOrEqual(0.4);
    });

    it('spans exactly the possible means of two pairs (0, 0.5, 1 with chances ¼, ½, ¼)', () => {
      // 2.5th and 97.5th percentiles of many resample means of [0, 1] are 0 and 1.
      expect(pairedBootstrap([0, 1], { resamples: 4000 }).confidenceInterval).toEqual([0, 1]);
    });

    it('collapses to the value when every difference is the same', () => {
      expect(pairedBootstrap([0.25, 0.25, 0.25]).confidenceInterval).toEqual([0.25, 0.25]);
      expect(pairedBootstrap([]).confidenceInterval).toBeNull();
    });
  });

  it('draws reproducible uniform numbers from a seed', () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    const draws = Array.from({ length: 10_000 }, () => a());
    expect(Array.from({ length: 10_000 }, () => b())).toEqual(draws);
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(1);
    expect(draws.reduce((s, x) => s + x, 0) / draws.length).toBeCloseTo(0.5, 1);
  });
});
