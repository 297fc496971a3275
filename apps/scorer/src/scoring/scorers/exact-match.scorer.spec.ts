import { scoreWith } from '../../../test/scorer-harness';
import { ExactMatchScorer } from './exact-match.scorer';

function score(output: string, groundTruth: string, config?: object) {
  return scoreWith(new ExactMatchScorer(), config, { output, groundTruth });
}

describe(ExactMatchScorer.name, () => {
  it('scores 1 and passes when the output equals the ground truth', () => {
    expect(score('Paris', 'Paris')).toEqual({ value: 1, passed: true, details: {} });
  });

  it('scores 0 with where the texts first differ', () => {
    expect(score('Pariss', 'Paris')).toEqual({
      value: 0, passed: false, details: { first_difference_at: 5, output_excerpt: 's', expected_excerpt: '' },
    });
  });

  it('trims by default, and only then', () => {
    expect(score('  Paris\n', 'Paris').value).toBe(1);
    expect(score('  Paris\n', 'Paris', { trim: false }).value).toBe(0);
  });

  it('is case-sensitive unless told otherwise', () => {
    expect(score('paris', 'Paris').value).toBe(0);
    expect(score('paris', 'PARIS', { case_sensitive: false }).value).toBe(1);
  });

  it('folds case fully: ß matches SS and a final sigma matches σ', () => {
    expect(score('STRASSE', 'Straße', { case_sensitive: false }).value).toBe(1);
    expect(score('ΟΔΌΣ', 'οδός', { case_sensitive: false }).value).toBe(1);
  });

  it('strips punctuation but keeps symbols', () => {
    expect(score('¿Qué? ¡Sí!', 'Qué Sí', { strip_punctuation: true }).value).toBe(1);
    expect(score('Paris.', 'Paris', { strip_punctuation: true }).value).toBe(1);
    expect(score('$5', '5', { strip_punctuation: true }).value).toBe(0);
  });

  it('collapses runs of whitespace, including after stripping punctuation', () => {
    expect(score('New  York\n\tCity', 'New York City', { collapse_whitespace: true }).value).toBe(1);
    expect(score('Paris - France', 'Paris France', { strip_punctuation: true, collapse_whitespace: true }).value).toBe(1);
  });

  it('applies NFKC to full-width letters, ligatures and decomposed accents only when asked', () => {
    expect(score('ｐａｒｉｓ', 'paris').value).toBe(0);
    expect(score('ｐａｒｉｓ', 'paris', { unicode_nfkc: true }).value).toBe(1);
    expect(score('ﬁne', 'fine', { unicode_nfkc: true }).value).toBe(1);
    expect(score('Cafe\u0301', 'Caf\u00e9', { unicode_nfkc: true }).value).toBe(1);
  });

  it('runs NFKC before case folding, so full-width capitals fold', () => {
    expect(score('ＰＡＲＩＳ', 'paris', { unicode_nfkc: true, case_sensitive: false }).value).toBe(1);
  });

  it('matches an empty output only to an empty ground truth', () => {
    expect(score('', '').value).toBe(1);
    expect(score('', 'Paris')).toMatchObject({ value: 0, details: { first_difference_at: 0, output_excerpt: '', expected_excerpt: 'Paris' } });
  });

  it('points at the start of a differing emoji, not inside its surrogate pair', () => {
    expect(score('😀😀', '😀😁').details).toEqual({ first_difference_at: 2, output_excerpt: '😀', expected_excerpt: '😁' });
  });

  it('compares 100 KB outputs and keeps its details short', () => {
    const long = 'lorem ipsum '.repeat(8_534);
    expect(score(long, long).value).toBe(1);
    const result = score(`${long}x`, `${long}y`);
    expect(result.details).toEqual({ first_difference_at: long.length, output_excerpt: 'x', expected_excerpt: 'y' });
  });
});
