import { LengthScorerConfig, ScorerName } from '@yardstick/contracts';
import { Scorer, ScorerInput, ScoreValue } from '../scorer';

const NAME = ScorerName.Length;

const DENSE_SCRIPTS = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/gu;

/**
 * Whether the output's length is within [min, max]. Value 1 inside; below min it falls linearly to 0 at length 0
 * (length / min); above max it falls linearly to 0 at twice max (2 - length / max). passed = inside.
 * Characters are Unicode code points (not grapheme clusters, whose rules change between ICU versions: scores must not).
 */
export class LengthScorer implements Scorer<typeof NAME, LengthScorerConfig> {
  readonly name = NAME;

  prepare(config: LengthScorerConfig): LengthScorerConfig {
    return config;
  }

  score(input: ScorerInput, { unit, min, max }: LengthScorerConfig): ScoreValue {
    const length = unit === 'tokens' ? approximateTokens(input.output) : countCodePoints(input.output);
    let value = 1;
    if (min !== undefined && length < min) value = length / min;
    else if (max !== undefined && length > max) value = Math.max(0, 2 - length / max);
    return {
      value,
      passed: value === 1,
      details: { unit, length, ...(min === undefined ? {} : { min }), ...(max === undefined ? {} : { max }) },
    };
  }
}

export function countCodePoints(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    // A high surrogate followed by a low one is one code point.
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    count++;
  }
  return count;
}

/**
 * Tokens without a tokenizer (models differ, and a tokenizer is a heavy dependency): each Han, kana or Hangul character counts
 * one token, every other code point (spaces included) a quarter, rounded up. That is OpenAI's "about 4 characters per token"
 * rule for English text; CJK text is about one token per character, which the rule alone would undercount fourfold.
 * Expect roughly ±25% against a real tokenizer on prose, worse on code.
 */
export function approximateTokens(text: string): number {
  const dense = text.match(DENSE_SCRIPTS)?.length ?? 0;
  return dense + Math.ceil((countCodePoints(text) - dense) / 4);
}
