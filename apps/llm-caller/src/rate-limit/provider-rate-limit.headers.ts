/** What a provider said about one of its budgets (requests or tokens) in its `x-ratelimit-*` response headers. */
export interface ProviderBudget {
  remaining: number;
  /** Until the budget is whole again. */
  resetMs: number;
  limit?: number;
}

export interface ProviderBudgets {
  requests?: ProviderBudget;
  tokens?: ProviderBudget;
}

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };
const DURATION = /^(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+$/;
const DURATION_PART = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g;

/**
 * A reset time in milliseconds: OpenAI writes Go durations (`1s`, `6m0s`, `20ms`, `1h2m3.5s`); a bare number
 * is seconds. Undefined when absent or unreadable.
 */
export function parseResetDuration(value: string | null | undefined): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+(?:\.\d+)?$/.test(text)) return Number(text) * 1_000;
  if (!DURATION.test(text)) return undefined;
  let ms = 0;
  for (const [, amount, unit] of text.matchAll(DURATION_PART)) ms += Number(amount) * UNIT_MS[unit];
  return ms;
}

/** The provider's requests and tokens budgets, each only when both its remaining count and reset time are given. */
export function readProviderBudgets(headers: Headers): ProviderBudgets {
  return { requests: readBudget(headers, 'requests'), tokens: readBudget(headers, 'tokens') };
}

function readBudget(headers: Headers, budget: 'requests' | 'tokens'): ProviderBudget | undefined {
  const remaining = parseCount(headers.get(`x-ratelimit-remaining-${budget}`));
  const resetMs = parseResetDuration(headers.get(`x-ratelimit-reset-${budget}`));
  if (remaining === undefined || resetMs === undefined) return undefined;
  return { remaining, resetMs, limit: parseCount(headers.get(`x-ratelimit-limit-${budget}`)) };
}

function parseCount(value: string | null): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const count = Number(value);
  return Number.isFinite(count) && count >= 0 ? count : undefined;
}
