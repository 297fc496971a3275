import { parseSpace, pointKey } from './parameter-space';
import { promisingPoints, ScoredPoint } from './promising-points';
import { SeededRandom } from './seeded-random';

const space = parseSpace([
  { name: 'model', values: ['m0', 'm1', 'm2', 'm3', 'm4', 'm5'] },
  { name: 'temperature', min: 0, max: 1, step: 0.25 },
]);

describe(promisingPoints.name, () => {
  const history: ScoredPoint[] = [
    { point: { model: 'm3', temperature: 0.5 }, score: 0.9 },
    { point: { model: 'm0', temperature: 0.5 }, score: 0.2 },
    { point: { model: 'm1', temperature: 0 }, score: 0.1 },
    { point: { model: 'm5', temperature: 1 }, score: 0.15 },
  ];

  it('proposes untried points, mostly with the good config\'s model', () => {
    const seen = new Set(history.map((h) => pointKey(h.point)));
    const points = promisingPoints(space, history, 1, 4, seen, new SeededRandom(3));
    expect(points).toHaveLength(4);
    expect(new Set(points.map(pointKey)).size).toBe(4);
    for (const point of points) expect(history.map((h) => pointKey(h.point))).not.toContain(pointKey(point));
    expect(points.filter((p) => p.model === 'm3').length).toBeGreaterThanOrEqual(2);
  });

  it('treats strings as categories: a good model lends no weight to its neighbours in the list, a good number does', () => {
    const seen = new Set(history.map((h) => pointKey(h.point)));
    const points = Array.from({ length: 20 }, (_, seed) => promisingPoints(space, history, 1, 3, new Set(seen), new SeededRandom(seed))).flat();
    const models = points.map((p) => p.model);
    // m2 and m4 sit next to m3 in the list but carry no evidence: they are as rare as any other untried model.
    const neighbours = models.filter((m) => m === 'm2' || m === 'm4').length;
    expect(neighbours).toBeLessThan(models.filter((m) => m === 'm3').length / 4);
    // 0.25 and 0.75 are next to the good 0.5 and are preferred to 0 and 1, which the poor configs used.
    const temperatures = points.map((p) => p.temperature as number);
    expect(temperatures.filter((t) => t === 0.25 || t === 0.75).length).toBeGreaterThan(temperatures.filter((t) => t === 0 || t === 1).length);
  });

  it('stops when every candidate has been tried', () => {
    const all = parseSpace([{ name: 'model', values: ['a', 'b'] }]);
    const tried = [{ point: { model: 'a' }, score: 1 }, { point: { model: 'b' }, score: 0 }];
    expect(promisingPoints(all, tried, 1, 3, new Set(tried.map((t) => pointKey(t.point))), new SeededRandom(1))).toEqual([]);
  });
});
