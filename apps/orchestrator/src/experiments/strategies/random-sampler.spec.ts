import { ParameterDistribution } from '@yardstick/contracts';
import { parseSpace, pointKey } from './parameter-space';
import { randomSample } from './random-sampler';

describe('random sampler', () => {
  const space = parseSpace([
    { name: 'model', values: ['a', 'b', 'c'] },
    { name: 'temperature', min: 0, max: 1.5, step: 0.5 },
    { name: 'top_p', min: 0.2, max: 0.9, distribution: ParameterDistribution.Uniform },
    { name: 'max_output_tokens', min: 16, max: 512, distribution: ParameterDistribution.LogUniform },
    { name: 'seed', min: 1, max: 5, distribution: ParameterDistribution.IntUniform },
  ]);

  it('gives the same samples for the same seed, and different ones for another seed', () => {
    expect(randomSample(space, 25, 7)).toEqual(randomSample(space, 25, 7));
    expect(randomSample(space, 25, 7)).not.toEqual(randomSample(space, 25, 8));
  });

  it('keeps every value inside its range, on its step, and distinct', () => {
    const points = randomSample(space, 200, 3);
    expect(points).toHaveLength(200);
    expect(new Set(points.map(pointKey)).size).toBe(200);
    for (const p of points) {
      expect(['a', 'b', 'c']).toContain(p.model);
      expect([0, 0.5, 1, 1.5]).toContain(p.temperature);
      expect(p.top_p).toBeGreaterThanOrEqual(0.2);
      expect(p.top_p).toBeLessThanOrEqual(0.9);
      expect(p.max_output_tokens).toBeGreaterThanOrEqual(16);
      expect(p.max_output_tokens).toBeLessThanOrEqual(512);
      expect(Number.isInteger(p.seed)).toBe(true);
      expect(p.seed).toBeGreaterThanOrEqual(1);
      expect(p.seed).toBeLessThanOrEqual(5);
    }
  });

  it('returns fewer points than asked when the space is smaller', () => {
    const small = parseSpace([{ name: 'model', values: ['a', 'b'] }, { name: 'temperature', values: [0, 1] }]);
    expect(randomSample(small, 10, 1)).toHaveLength(4);
  });
});
