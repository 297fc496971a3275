import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { setImmediate as nextTurn } from 'node:timers/promises';

/** A line of a JSONL file with its 1-based number; blank lines are skipped. */
export interface JsonlLine {
  number: number;
  text: string;
}

/** How many lines are handled between two yields to the event loop. */
const LINES_PER_TURN = 100;

/**
 * Streams a JSONL file line by line (never the whole file in memory) and yields to the event loop every few hundred
 * lines, so a 200 MB file does not hold up other requests.
 */
export async function* readJsonlLines(path: string): AsyncGenerator<JsonlLine> {
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let number = 0;
  try {
    for await (const text of lines) {
      number++;
      if (number % LINES_PER_TURN === 0) await nextTurn();
      if (text.trim() === '') continue;
      yield { number, text };
    }
  } finally {
    lines.close();
  }
}
