// Scripts written without spaces cost about one token per character in BPE vocabularies.
const PIECE = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]|[\p{L}\p{M}\p{N}]+|[^\s\p{L}\p{M}\p{N}]/gu;
const CHARS_PER_TOKEN = 4;

interface TokenPiece {
  start: number;
  end: number;
  tokens: number;
}

function pieces(text: string): TokenPiece[] {
  const result: TokenPiece[] = [];
  for (const match of text.matchAll(PIECE)) {
    const start = match.index;
    const length = match[0].length;
    result.push({ start, end: start + length, tokens: Math.ceil(length / CHARS_PER_TOKEN) });
  }
  return result;
}

/** Approximates a BPE token count: a word costs ceil(chars / 4) tokens, each symbol one, whitespace none. */
export function countTokens(text: string): number {
  let total = 0;
  for (const piece of pieces(text)) total += piece.tokens;
  return total;
}

/** The longest prefix of `text` whose countTokens is at most `maxTokens`; long words are cut every 4 characters. */
export function truncateToTokens(text: string, maxTokens: number): { text: string; truncated: boolean } {
  let used = 0;
  for (const piece of pieces(text)) {
    if (used + piece.tokens > maxTokens) {
      const room = maxTokens - used;
      const end = room > 0 ? piece.start + room * CHARS_PER_TOKEN : piece.start;
      return { text: text.slice(0, end).trimEnd(), truncated: true };
    }
    used += piece.tokens;
  }
  return { text, truncated: false };
}
