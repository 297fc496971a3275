/** USD per one million tokens. */
export interface ModelPrice {
  input: number;
  output: number;
}

/** List prices (standard, non-batch). The sim models are priced like real ones so that cost figures mean something. */
export const DEFAULT_PRICES: Readonly<Record<string, ModelPrice>> = {
  'sim-large': { input: 2.0, output: 8.0 },
  'sim-small': { input: 0.15, output: 0.6 },
  'gpt-4.1': { input: 2.0, output: 8.0 },
  'gpt-4.1-mini': { input: 0.4, output: 1.6 },
  'gpt-4.1-nano': { input: 0.1, output: 0.4 },
  'gpt-4o': { input: 2.5, output: 10.0 },
  'gpt-4o-mini': { input: 0.15, output: 0.6 },
  'text-embedding-3-small': { input: 0.02, output: 0 },
  'text-embedding-3-large': { input: 0.13, output: 0 },
};

export class PriceTable {
  private readonly prices: Record<string, ModelPrice>;

  constructor(overridesJson?: string) {
    this.prices = { ...DEFAULT_PRICES, ...(overridesJson ? parseOverrides(overridesJson) : {}) };
  }

  has(model: string): boolean {
    return model in this.prices;
  }

  /** Cost in USD, rounded to 10 decimals (the precision Postgres stores). Unknown models cost 0; callers warn. */
  cost(model: string, inputTokens: number, outputTokens: number): number {
    const price = this.prices[model];
    if (!price) return 0;
    return Number(((inputTokens * price.input + outputTokens * price.output) / 1_000_000).toFixed(10));
  }
}

function parseOverrides(json: string): Record<string, ModelPrice> {
  const parsed: unknown = JSON.parse(json);
  if (!parsed || typeof parsed !== 'object') throw new Error('PRICE_TABLE_JSON must be a JSON object');
  for (const [model, price] of Object.entries(parsed)) {
    const p = price as Partial<ModelPrice>;
    if (typeof p?.input !== 'number' || (p.output !== undefined && typeof p.output !== 'number')) {
      throw new Error(`PRICE_TABLE_JSON: "${model}" needs numeric "input" and "output" prices per 1M tokens`);
    }
  }
  return Object.fromEntries(Object.entries(parsed as Record<string, ModelPrice>).map(([m, p]) => [m, { input: p.input, output: p.output ?? 0 }]));
}
