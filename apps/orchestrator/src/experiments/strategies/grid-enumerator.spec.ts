import { ServiceException } from '@yardstick/contracts';
import { enumerateGrid, gridCount } from './grid-enumerator';
import { parseSpace, pointKey } from './parameter-space';

describe('grid enumerator', () => {
  const space = parseSpace([
    { name: 'model', values: ['sim-small', 'sim-large'] },
    { name: 'temperature', min: 0, max: 1, step: 0.25 },
    { name: 'max_output_tokens', values: [64, 128, 256] },
  ]);

  it('counts every combination of values and stepped ranges', () => {
    expect(gridCount(space)).toBe(2 * 5 * 3);
  });

  it('enumerates each combination exactly once', () => {
    const points = enumerateGrid(space, 1_000);
    expect(points).toHaveLength(30);
    expect(new Set(points.map(pointKey)).size).toBe(30);
    expect(points).toContainEqual({ model: 'sim-large', temperature: 0.75, max_output_tokens: 128 });
    expect(points.map((p) => p.temperature)).toEqual(expect.arrayContaining([0, 0.25, 0.5, 0.75, 1]));
  });

  it('refuses a grid over the configured limit and names the count', () => {
    expect(() => enumerateGrid(space, 29)).toThrow(/30 configs, more than the limit of 29/);
  });

  it('refuses a distribution in a grid', () => {
    const withDistribution = parseSpace([{ name: 'top_p', min: 0.1, max: 1, distribution: 'uniform' as never }]);
    expect(() => gridCount(withDistribution)).toThrow(ServiceException);
  });
});

describe('parameter space validation', () => {
  it.each([
    [[{ name: 'temperature', values: [3] }], /parameter_space\[0\]\.values\[0\]: temperature must be within \[0, 2\]/],
    [[{ name: 'model', min: 0, max: 1, step: 1 }], /parameter_space\[0\]\.values: model takes a list of values/],
    [[{ name: 'top_p', min: 0.5, max: 0.2, step: 0.1 }], /parameter_space\[0\]\.min: must not exceed max/],
    [[{ name: 'temperature', min: 0, max: 1, step: 0 }], /parameter_space\[0\]\.step: must be greater than 0/],
    [[{ name: 'seed', values: [1] }, { name: 'seed', values: [2] }], /parameter_space\[1\]\.name: "seed" appears twice/],
    [[{ name: 'max_output_tokens', values: [1.5] }], /max_output_tokens takes integers/],
  ])('rejects %j naming the field', (space, message) => {
    expect(() => parseSpace(space as never)).toThrow(message);
  });
});
