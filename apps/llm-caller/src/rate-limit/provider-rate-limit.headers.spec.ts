import { parseResetDuration, readProviderBudgets } from './provider-rate-limit.headers';

describe(parseResetDuration.name, () => {
  it.each([
    ['1s', 1_000],
    ['6m0s', 360_000],
    ['20ms', 20],
    ['1h2m3.5s', 3_723_500],
    ['0s', 0],
    ['7.66s', 7_660],
    ['2m59.56s', 179_560],
    ['1500us', 1.5],
    ['30', 30_000],
  ])('reads %s as %d ms', (value, ms) => {
    expect(parseResetDuration(value)).toBeCloseTo(ms, 6);
  });

  it.each([[null], [undefined], [''], ['soon'], ['1x'], ['-1s'], ['1s soon']])('reads %p as unknown', (value) => {
    expect(parseResetDuration(value)).toBeUndefined();
  });
});

describe(readProviderBudgets.name, () => {
  it('reads both budgets with their limits', () => {
    const headers = new Headers({
      'x-ratelimit-limit-requests': '500',
      'x-ratelimit-remaining-requests': '499',
      'x-ratelimit-reset-requests': '120ms',
      'x-ratelimit-limit-tokens': '30000',
      'x-ratelimit-remaining-tokens': '29000',
      'x-ratelimit-reset-tokens': '2s',
    });
    expect(readProviderBudgets(headers)).toEqual({
      requests: { remaining: 499, resetMs: 120, limit: 500 },
      tokens: { remaining: 29_000, resetMs: 2_000, limit: 30_000 },
    });
  });

  it('ignores a budget whose remaining count or reset time is missing or unreadable', () => {
    const headers = new Headers({ 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-tokens': '1s', 'x-ratelimit-remaining-tokens': 'many' });
    expect(readProviderBudgets(headers)).toEqual({ requests: undefined, tokens: undefined });
  });

  it('keeps a budget without a limit header', () => {
    const headers = new Headers({ 'x-ratelimit-remaining-tokens': '0', 'x-ratelimit-reset-tokens': '6m0s' });
    expect(readProviderBudgets(headers).tokens).toEqual({ remaining: 0, resetMs: 360_000, limit: undefined });
  });
});
