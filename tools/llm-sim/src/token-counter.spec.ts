import { countTokens, truncateToTokens } from './token-counter';

describe('countTokens', () => {
  it('counts nothing for empty or blank text', () => {
    expect(countTokens('')).toBe(0);
    expect(countTokens('  \n\t ')).toBe(0);
  });

  it('counts at least one token per word and one per symbol', () => {
    expect(countTokens('a b c')).toBe(3);
    expect(countTokens('Hi, you!')).toBe(4);
  });

  it('approximates long words as four characters per token', () => {
    expect(countTokens('internationalization')).toBe(5);
  });

  it('counts each CJK character as a token', () => {
    expect(countTokens('東京都')).toBe(3);
  });

  it('stays near chars/4 on ordinary English prose', () => {
    const text = 'The quick brown fox jumps over the lazy dog while the farmer watches from the porch.';
    const tokens = countTokens(text);
    expect(tokens).toBeGreaterThanOrEqual(Math.ceil(text.length / 4) - 2);
    expect(tokens).toBeLessThanOrEqual(Math.ceil(text.length / 2.5));
  });
});

describe('truncateToTokens', () => {
  it('leaves text within the budget untouched', () => {
    expect(truncateToTokens('one two three', 4)).toEqual({ text: 'one two three', truncated: false });
  });

  it('cuts to a prefix whose count fits the budget', () => {
    const text = 'The capital of France is Paris, a city on the Seine river.';
    for (const budget of [1, 2, 5, 8]) {
      const result = truncateToTokens(text, budget);
      expect(result.truncated).toBe(true);
      expect(text.startsWith(result.text)).toBe(true);
      expect(countTokens(result.text)).toBeLessThanOrEqual(budget);
      expect(countTokens(result.text)).toBeGreaterThanOrEqual(budget - 1);
    }
  });

  it('splits a long word at four-character token boundaries', () => {
    expect(truncateToTokens('internationalization', 2).text).toBe('internat');
  });
});
