import { scoreWith } from '../../../test/scorer-harness';
import { approximateTokens, countCodePoints, LengthScorer } from './length.scorer';

function score(output: string, config: object) {
  return scoreWith(new LengthScorer(), config, { output });
}

describe(LengthScorer.name, () => {
  it('scores 1 and passes inside the bounds, bounds included', () => {
    expect(score('abcde', { min: 5, max: 5 })).toEqual({ value: 1, passed: true, details: { unit: 'characters', length: 5, min: 5, max: 5 } });
  });

  it('falls linearly to 0 at length 0 below min', () => {
    expect(score('ab', { min: 8 })).toMatchObject({ value: 0.25, passed: false });
    expect(score('', { min: 8 }).value).toBe(0);
  });

  it('falls linearly to 0 at twice max above max', () => {
    expect(score('x'.repeat(15), { max: 10 })).toMatchObject({ value: 0.5, passed: false });
    expect(score('x'.repeat(20), { max: 10 }).value).toBe(0);
    expect(score('x'.repeat(100_000), { max: 10 }).value).toBe(0);
  });

  it('accepts an empty output when only max is set', () => {
    expect(score('', { max: 10 })).toMatchObject({ value: 1, passed: true });
  });

  it('counts characters as code points: an emoji is one, a combining accent another', () => {
    expect(score('😀😀😀', { max: 3 }).details).toMatchObject({ length: 3 });
    expect(countCodePoints('e\u0301')).toBe(2);
    expect(countCodePoints('\ud83d')).toBe(1);
  });

  it('measures tokens by the documented approximation', () => {
    expect(score('abcd'.repeat(100), { unit: 'tokens', max: 100 })).toMatchObject({ value: 1, details: { unit: 'tokens', length: 100 } });
    expect(score('abcd'.repeat(100), { unit: 'tokens', max: 99 }).passed).toBe(false);
  });

  it('counts a Han, kana or Hangul character as one token and four other characters as one', () => {
    expect(approximateTokens('東京都')).toBe(3);
    expect(approximateTokens('カタカナ한국')).toBe(6);
    expect(approximateTokens('Tokyo 東京')).toBe(4);
    expect(approximateTokens('')).toBe(0);
  });
});
