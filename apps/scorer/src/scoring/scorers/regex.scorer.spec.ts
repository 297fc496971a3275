import { RegexScorerConfig } from '@yardstick/contracts';
import { scoreWith, scorerErrorOf } from '../../../test/scorer-harness';
import { ScorerErrorCode } from '../scorer.error';
import { MAX_REGEX_INPUT_CHARS, RegexScorer } from './regex.scorer';

function score(output: string, config: object) {
  return scoreWith(new RegexScorer(), config, { output });
}

describe(RegexScorer.name, () => {
  it('scores 1 when the output matches, with the match in details', () => {
    expect(score('Answer: 42', { pattern: '\\d+' })).toEqual({
      value: 1, passed: true, details: { matched: true, must_match: true, match: '42', match_index: 8 },
    });
  });

  it('scores 0 when the output does not match', () => {
    expect(score('no digits', { pattern: '\\d+' })).toEqual({ value: 0, passed: false, details: { matched: false, must_match: true } });
  });

  it('inverts the verdict with must_match false', () => {
    expect(score('As an AI language model, I…', { pattern: 'as an ai', flags: 'i', must_match: false }).value).toBe(0);
    expect(score('Paris.', { pattern: 'as an ai', flags: 'i', must_match: false }).value).toBe(1);
  });

  it('applies the i, m, s and u flags', () => {
    expect(score('PARIS', { pattern: 'paris' }).value).toBe(0);
    expect(score('PARIS', { pattern: 'paris', flags: 'i' }).value).toBe(1);
    expect(score('intro\nAnswer: yes', { pattern: '^Answer:' }).value).toBe(0);
    expect(score('intro\nAnswer: yes', { pattern: '^Answer:', flags: 'm' }).value).toBe(1);
    expect(score('start\nend', { pattern: 'start.end' }).value).toBe(0);
    expect(score('start\nend', { pattern: 'start.end', flags: 's' }).value).toBe(1);
    expect(score('Émile 😀', { pattern: '^\\p{Lu}\\p{Ll}+ \\u{1F600}$', flags: 'u' }).value).toBe(1);
  });

  it('gives the same verdict every time it runs (no lastIndex state)', () => {
    const scorer = new RegexScorer();
    const results = [1, 2, 3].map(() => scoreWith(scorer, { pattern: 'a', flags: 'i' }, { output: 'A' }).value);
    expect(results).toEqual([1, 1, 1]);
  });

  it('matches an empty output only with a pattern that accepts it', () => {
    expect(score('', { pattern: '^$' }).value).toBe(1);
    expect(score('', { pattern: 'a' }).value).toBe(0);
  });

  it('scans a 100 KB output to its end', () => {
    const output = `${'x'.repeat(MAX_REGEX_INPUT_CHARS - 3)}END`;
    expect(score(output, { pattern: 'END$' })).toMatchObject({ value: 1, details: { match_index: MAX_REGEX_INPUT_CHARS - 3 } });
  });

  it('scans only the first MAX_REGEX_INPUT_CHARS of a longer output and says so', () => {
    const output = `${'x'.repeat(150_000)}END`;
    expect(score(output, { pattern: 'END' }).details).toEqual({
      matched: false, must_match: true, truncated: true, scanned_chars: MAX_REGEX_INPUT_CHARS,
    });
  });

  it('turns catastrophic backtracking into a scorer error within the time limit', () => {
    const started = Date.now();
    const error = scorerErrorOf(() => score(`${'a'.repeat(40)}!`, { pattern: '^(a+)+$' }));
    expect(error?.code).toBe(ScorerErrorCode.TimeLimitExceeded);
    expect(error?.message).toMatch(/^regex: the pattern ran over \d+ ms on 41 characters/);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('refuses to prepare an invalid pattern that reached it unchecked', () => {
    const config = Object.assign(new RegexScorerConfig(), { pattern: '(' });
    expect(scorerErrorOf(() => new RegexScorer().prepare(config))?.code).toBe(ScorerErrorCode.InvalidConfig);
  });
});
