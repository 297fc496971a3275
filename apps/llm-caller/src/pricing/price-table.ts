import { ModelPriceOverride } from '@yardstick/contracts';

/** USD per one million tokens; `batchDiscount` is the share of the standard price the Batch API charges. */
export interface ModelPrice {
  input: number;
  cachedInput?: number;
  output: number;
  batchDiscount?: number;
}

/** List prices (standard, non-batch). The sim models are priced like real ones so that cost figures mean something. */
export const DEFAULT_PRICES: Readonly<Record<string, ModelPrice>> = {
  'sim-large': { input: 2.0, cachedInput: 0.5, output: 8.0, batchDiscount: 0.5 },
  'sim-small': { input: 0.15, cachedInput: 0.075, output: 0.6, batchDiscount: 0.5 },
  // llm-sim's judge models (for the llm_judge scorer).
  'sim-judge': { input: 0.15, cachedInput: 0.075, output: 0.6, batchDiscount: 0.5 },
  'sim-judge-nonsense': { input: 0.15, cachedInput: 0.075, output: 0.6, batchDiscount: 0.5 },
  'gpt-4.1': { input: 2.0, cachedInput: 0.5, output: 8.0, batchDiscount: 0.5 },
  'gpt-4.1-mini': { input: 0.4, cachedInput: 0.1, output: 1.6, batchDiscount: 0.5 },
  'gpt-4.1-nano': { input: 0.1, cachedInput: 0.025, output: 0.4, batchDiscount: 0.5 },
  'gpt-4o': { input: 2.5, cachedInput: 1.25, output: 10.0, batchDiscount: 0.5 },
  'gpt-4o-mini': { input: 0.15, cachedInput: 0.075, output: 0.6, batchDiscount: 0.5 },
  'text-embedding-3-small': { input: 0.02, output: 0, batchDiscount: 0.5 },
  'text-embedding-3-large': { input: 0.13, output: 0, batchDiscount: 0.5 },
};

export interface BilledTokens {
  inputTokens: number;
  /** Input tokens the provider served from its prompt cache (billed at the cached-input price). */
  cachedInputTokens?: number;
  outputTokens: number;
}

export class PriceTable {
  private readonly prices: Record<string, ModelPrice>;

  constructor(overridesJson?: string, overrides: Record<string, ModelPriceOverride> = {}) {
    this.prices = { ...DEFAULT_PRICES, ...(overridesJson ? parseOverrides(overridesJson) : {}), ...overrides };
  }

  /** The same table with an endpoint's own prices on top. */
  withOverrides(overrides: Record<string, ModelPriceOverride>): PriceTable {
    const table = Object.create(PriceTable.prototype) as PriceTable;
    Object.assign(table, { prices: { ...this.prices, ...overrides } });
    return table;
  }

  has(model: string): boolean {
    return model in this.prices;
  }

  /** Cost in USD, rounded to 10 decimals (the precision Postgres stores). Unknown models cost 0; callers warn. */
  cost(model: string, tokens: BilledTokens, mode: 'standard' | 'batch' = 'standard'): number {
    const price = this.prices[model];
    if (!price) return 0;
    const cached = Math.min(tokens.cachedInputTokens ?? 0, tokens.inputTokens);
    const standard = (tokens.inputTokens - cached) * price.input + cached * (price.cachedInput ?? price.input) + tokens.outputTokens * price.output;
    const factor = mode === 'batch' ? (price.batchDiscount ?? 1) : 1;
    return Number(((standard * factor) / 1_000_000).toFixed(10));
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
  return Object.fromEntries(Object.entries(parsed as Record<string, ModelPrice>).map(([m, p]) => [m, { ...p, output: p.output ?? 0 }]));
}
