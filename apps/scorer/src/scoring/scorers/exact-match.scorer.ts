import { ExactMatchScorerConfig, ScorerName } from '@yardstick/contracts';
import { Scorer, ScorerInput, ScoreValue } from '../scorer';
import { excerpt, normalizeText } from './text-normalization';

const NAME = ScorerName.ExactMatch;

/**
 * Whether the output equals the ground truth once both are normalised as configured: 1 and passed, or 0.
 * On a mismatch, details show where the normalised texts first differ, with a short excerpt of each from there.
 */
export class ExactMatchScorer implements Scorer<typeof NAME, ExactMatchScorerConfig> {
  readonly name = NAME;

  prepare(config: ExactMatchScorerConfig): ExactMatchScorerConfig {
    return config;
  }

  score(input: ScorerInput, config: ExactMatchScorerConfig): ScoreValue {
    const output = normalizeText(input.output, config);
    const expected = normalizeText(input.groundTruth, config);
    if (output === expected) return { value: 1, passed: true, details: {} };
    const at = firstDifference(output, expected);
    return {
      value: 0,
      passed: false,
      details: { first_difference_at: at, output_excerpt: excerpt(output, 40, at), expected_excerpt: excerpt(expected, 40, at) },
    };
  }
}

/** Index (UTF-16 units, in the normalised texts) of the code point where two different strings first differ. */
function firstDifference(a: string, b: string): number {
  const shorter = Math.min(a.length, b.length);
  let i = 0;
  while (i < shorter && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  // Two emoji sharing a high surrogate differ in the low one: point at the start of the code point.
  const code = a.charCodeAt(i - 1);
  return i > 0 && code >= 0xd800 && code <= 0xdbff ? i - 1 : i;
}
