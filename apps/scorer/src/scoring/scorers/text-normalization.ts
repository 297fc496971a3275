/**
 * Locale-independent case folding: upper- then lower-casing, so `ß` matches `SS` and a final sigma `ς` matches `σ`
 * (lower-casing alone does neither).
 */
export function foldCase(text: string): string {
  return text.toUpperCase().toLowerCase();
}

export interface TextNormalization {
  unicode_nfkc: boolean;
  case_sensitive: boolean;
  strip_punctuation: boolean;
  collapse_whitespace: boolean;
  trim: boolean;
}

const PUNCTUATION = /\p{P}/gu;
const WHITESPACE = /\s+/gu;

/** Applies the enabled normalisations in a fixed order: NFKC, case folding, punctuation, whitespace, trim. */
export function normalizeText(text: string, options: TextNormalization): string {
  let result = text;
  if (options.unicode_nfkc) result = result.normalize('NFKC');
  if (!options.case_sensitive) result = foldCase(result);
  if (options.strip_punctuation) result = result.replace(PUNCTUATION, '');
  if (options.collapse_whitespace) result = result.replace(WHITESPACE, ' ');
  if (options.trim) result = result.trim();
  return result;
}

/** At most `maxChars` UTF-16 units of `text`, never ending in half a surrogate pair; for details shown on an item. */
export function excerpt(text: string, maxChars = 80, from = 0): string {
  let end = Math.min(text.length, from + maxChars);
  if (end < text.length && isHighSurrogate(text.charCodeAt(end - 1))) end--;
  return text.slice(from, end);
}

/** The first `maxChars` UTF-16 units of `text`, never ending in half a surrogate pair. */
export function boundedPrefix(text: string, maxChars: number): { text: string; truncated: boolean } {
  if (text.length <= maxChars) return { text, truncated: false };
  return { text: excerpt(text, maxChars), truncated: true };
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
