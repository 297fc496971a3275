import { excerpt } from './text-normalization';
import { firstFencedCodeBlock } from './markdown-structure';

export type ParsedJsonOutput =
  | { ok: true; value: unknown; fromCodeBlock: boolean }
  | { ok: false; error: string; fromCodeBlock: boolean };

/** The output parsed as JSON; with `extractCodeBlock`, the first fenced code block's content when the output has one. */
export function parseJsonOutput(output: string, extractCodeBlock: boolean): ParsedJsonOutput {
  const block = extractCodeBlock ? firstFencedCodeBlock(output) : undefined;
  const fromCodeBlock = block !== undefined;
  try {
    return { ok: true, value: JSON.parse(block ?? output), fromCodeBlock };
  } catch (error) {
    // V8's message quotes the input; keep details small on a huge output.
    return { ok: false, error: excerpt((error as Error).message, 300), fromCodeBlock };
  }
}
