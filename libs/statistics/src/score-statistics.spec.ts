import { max, mean, min, p50, p95, passRate, percentile, populationStd, summarizeScores } from './score-statistics';

describe('score statistics', () => {
  const values = [0.2, 0.9, 0.4, 1, 0.5];

  it('answers null for every aggregate of no values', () => {
    expect(summarizeScores([])).toEqual({ count: 0, mean: null, std: null, min: null, max: null, p50: null, p95: null, passRate: null });
    expect([mean([]), populationStd([]), min([]), max([]), p50([]), p95([])]).toEqual([null, null, null, null, null, null]);
  });

  it('gives a single value as every location statistic, with no spread', () => {
    expect(summarizeScores([0.7], [true])).toEqual({ count: 1, mean: 0.7, std: 0, min: 0.7, max: 0.7, p50: 0.7, p95: 0.7, passRate: 1 });
  });

  it('computes the mean', () => {
    expect(mean(values)).toBeCloseTo(0.6, 12);
  });

  it('computes the population standard deviation, dividing by n', () => {
    // deviations from 0.6: -0.4, 0.3, -0.2, 0.4, -0.1 → squares sum 0.46 → sqrt(0.46 / 5)
    expect(populationStd(values)).toBeCloseTo(Math.sqrt(0.092), 12);
    expect(populationStd([0.5, 0.5, 0.5])).toBe(0);
  });

  it('finds min and max without depending on order', () => {
    expect([min(values), max(values)]).toEqual([0.2, 1]);
  });

  it('interpolates percentiles between closest ranks (type 7)', () => {
    // sorted 0.2, 0.4, 0.5, 0.9, 1 → p50 at rank 2 = 0.5; p95 at rank 3.8 = 0.9 + 0.8 × 0.1 = 0.98
    expect(p50(values)).toBe(0.5);
    expect(p95(values)).toBeCloseTo(0.98, 12);
    expect(p50([0, 1])).toBe(0.5);
    expect(percentile(values, 0)).toBe(0.2);
    expect(percentile(values, 100)).toBe(1);
    expect(percentile(values, 25)).toBe(0.4);
  });

  it('does not reorder its input', () => {
    const input = [0.3, 0.1, 0.2];
    summarizeScores(input);
    p95(input);
    expect(input).toEqual([0.3, 0.1, 0.2]);
  });

  it('computes the pass rate among items with a verdict only', () => {
    expect(passRate([true, false, true, undefined])).toBeCloseTo(2 / 3, 12);
    expect(passRate([undefined, undefined])).toBeNull();
    expect(passRate([false])).toBe(0);
  });

  it('summarizes a series in one call, the same as the single functions', () => {
    expect(summarizeScores(values, [true, false])).toEqual({
      count: 5, mean: mean(values), std: populationStd(values), min: 0.2, max: 1, p50: 0.5, p95: p95(values), passRate: 0.5,
    });
  });

  it('rejects non-finite values and percentiles outside [0, 100]', () => {
    expect(() => mean([0.5, Number.NaN])).toThrow(RangeError);
    expect(() => summarizeScores([Number.POSITIVE_INFINITY])).toThrow(RangeError);
    expect(() => percentile(values, 101)).toThrow(RangeError);
    expect(() => percentile(values, Number.NaN)).toThrow(RangeError);
  });
});
