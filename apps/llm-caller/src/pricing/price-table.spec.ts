import { PriceTable } from './price-table';

describe(PriceTable.name, () => {
  it('prices input and output tokens per million', () => {
    expect(new PriceTable().cost('sim-large', { inputTokens: 1_000, outputTokens: 500 })).toBeCloseTo(0.002 + 0.004, 10);
  });

  it('bills cached input tokens at the cached price, and batch calls at the batch discount', () => {
    const table = new PriceTable();
    expect(table.cost('gpt-4o', { inputTokens: 1_000_000, cachedInputTokens: 400_000, outputTokens: 0 })).toBeCloseTo(0.6 * 2.5 + 0.4 * 1.25, 10);
    expect(table.cost('gpt-4o-mini', { inputTokens: 1_000_000, outputTokens: 1_000_000 }, 'batch')).toBeCloseTo((0.15 + 0.6) / 2, 10);
  });

  it('applies environment overrides, then an endpoint\'s own prices on top', () => {
    const table = new PriceTable('{"sim-large":{"input":1,"output":1}}');
    expect(table.cost('sim-large', { inputTokens: 1_000_000, outputTokens: 0 })).toBe(1);
    const endpoint = table.withOverrides({ 'sim-large': { input: 3, output: 0 } });
    expect(endpoint.cost('sim-large', { inputTokens: 1_000_000, outputTokens: 0 })).toBe(3);
    expect(table.cost('sim-large', { inputTokens: 1_000_000, outputTokens: 0 })).toBe(1);
    expect(endpoint.cost('text-embedding-3-small', { inputTokens: 1_000_000, outputTokens: 0 })).toBe(0.02);
  });

  it('rejects an override without prices and names the model', () => {
    expect(() => new PriceTable('{"m":{}}')).toThrow('"m"');
  });

  it('costs nothing for an unknown model', () => {
    expect(new PriceTable().has('mystery')).toBe(false);
    expect(new PriceTable().cost('mystery', { inputTokens: 10, outputTokens: 10 })).toBe(0);
  });
});
