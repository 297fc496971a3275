import { PriceTable } from './price-table';

describe(PriceTable.name, () => {
  it('prices input and output tokens per million', () => {
    expect(new PriceTable().cost('sim-large', 1_000, 500)).toBeCloseTo(0.002 + 0.004, 10);
  });

  it('applies overrides and keeps the other defaults', () => {
    const table = new PriceTable('{"sim-large":{"input":1,"output":1}}');
    expect(table.cost('sim-large', 1_000_000, 0)).toBe(1);
    expect(table.cost('text-embedding-3-small', 1_000_000, 0)).toBe(0.02);
  });

  it('rejects an override without prices and names the model', () => {
    expect(() => new PriceTable('{"m":{}}')).toThrow('"m"');
  });

  it('costs nothing for an unknown model', () => {
    expect(new PriceTable().has('mystery')).toBe(false);
    expect(new PriceTable().cost('mystery', 10, 10)).toBe(0);
  });
});
