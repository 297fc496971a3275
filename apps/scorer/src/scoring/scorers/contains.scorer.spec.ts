import { scoreWith } from '../../../test/scorer-harness';
import { ContainsScorer } from './contains.scorer';

function score(output: string, config: object) {
  return scoreWith(new ContainsScorer(), config, { output });
}

describe(ContainsScorer.name, () => {
  it('scores 1 when the output contains the substring', () => {
    expect(score('The capital is Paris.', { substring: 'Paris' })).toEqual({ value: 1, passed: true, details: { match: 'all', missing: [] } });
  });

  it('scores 0 and names the substring when it is missing', () => {
    expect(score('The capital is Lyon.', { substring: 'Paris' })).toEqual({
      value: 0, passed: false, details: { match: 'all', missing: ['Paris'] },
    });
  });

  it('is case-sensitive unless told otherwise', () => {
    expect(score('PARIS', { substring: 'Paris' }).value).toBe(0);
    expect(score('PARIS', { substring: 'Paris', case_sensitive: false }).value).toBe(1);
    expect(score('STRASSE', { substring: 'straße', case_sensitive: false }).value).toBe(1);
  });

  it('needs every substring of a list by default', () => {
    expect(score('Paris, France', { substring: ['Paris', 'France'] }).value).toBe(1);
    expect(score('Paris, Texas', { substring: ['Paris', 'France'] })).toMatchObject({ value: 0, details: { missing: ['France'] } });
  });

  it('needs one substring of a list with match "any"', () => {
    expect(score('Paris, Texas', { substring: ['Lyon', 'Paris'], match: 'any' })).toMatchObject({ value: 1, details: { missing: ['Lyon'] } });
    expect(score('Marseille', { substring: ['Lyon', 'Paris'], match: 'any' }).value).toBe(0);
  });

  it('finds nothing in an empty output', () => {
    expect(score('', { substring: 'a' }).value).toBe(0);
  });

  it('finds unicode substrings as they are', () => {
    expect(score('首都は東京です 😀', { substring: ['東京', '😀'] }).value).toBe(1);
  });

  it('searches a 100 KB output to its end', () => {
    expect(score(`${'x'.repeat(100_000)}needle`, { substring: 'needle' }).value).toBe(1);
  });
});
