import { scoreWith } from '../../../test/scorer-harness';
import { KeywordsScorer } from './keywords.scorer';

function score(output: string, config: object) {
  return scoreWith(new KeywordsScorer(), config, { output });
}

describe(KeywordsScorer.name, () => {
  it('scores the share of requirements satisfied and lists the failures', () => {
    const result = score('Paris is in France; I think.', { required_present: ['Paris', 'Seine'], required_absent: ['I think', 'Lyon'] });
    expect(result).toEqual({
      value: 0.5, passed: false, details: { satisfied: 2, total: 4, missing: ['Seine'], forbidden_found: ['I think'] },
    });
  });

  it('scores 1 and passes when every requirement is satisfied', () => {
    expect(score('Paris', { required_present: ['Paris'], required_absent: ['Lyon'] })).toMatchObject({ value: 1, passed: true });
  });

  it('satisfies absent-only requirements with an empty output, and no present ones', () => {
    expect(score('', { required_absent: ['sorry'] }).value).toBe(1);
    expect(score('', { required_present: ['Paris', 'France'] }).value).toBe(0);
  });

  it('is case-sensitive unless told otherwise', () => {
    expect(score('Paris', { required_present: ['paris'] }).value).toBe(0);
    expect(score('Paris', { required_present: ['paris'], case_sensitive: false }).value).toBe(1);
    expect(score('Paris', { required_absent: ['PARIS'] }).value).toBe(1);
    expect(score('Paris', { required_absent: ['PARIS'], case_sensitive: false }).value).toBe(0);
  });

  it('matches unicode terms', () => {
    expect(score('東京タワー', { required_present: ['東京'], required_absent: ['大阪'] }).value).toBe(1);
  });

  it('handles a 100 KB output', () => {
    const output = `${'filler '.repeat(15_000)}Paris`;
    expect(score(output, { required_present: ['Paris'], required_absent: ['Lyon'] }).value).toBe(1);
  });
});
