import { Readable } from 'node:stream';

import { DatasetCsvError, DatasetCsvErrorCode, DatasetCsvLimits, DatasetCsvRow, readDatasetCsv } from './dataset-csv.reader';

const LIMITS: DatasetCsvLimits = { maxBytes: 10 * 1024 * 1024, maxRows: 100_000 };
const BOM = '\uFEFF';

/** A byte stream that hands out `content` in chunks of `chunkSize` bytes. */
function streamOf(content: string | Buffer, chunkSize = 64 * 1024): Readable {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  const chunks: Buffer[] = [];
  for (let start = 0; start < bytes.length; start += chunkSize) {
    chunks.push(bytes.subarray(start, start + chunkSize));
  }
  return Readable.from(chunks);
}

async function readAll(input: Readable, limits = LIMITS): Promise<DatasetCsvRow[]> {
  const rows: DatasetCsvRow[] = [];
  for await (const row of readDatasetCsv(input, limits)) {
    rows.push(row);
  }
  return rows;
}

async function readError(input: Readable, limits = LIMITS): Promise<DatasetCsvError> {
  const error: unknown = await readAll(input, limits).then(
    () => new Error('expected the file to be rejected'),
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof DatasetCsvError)) {
    throw error;
  }
  return error;
}

/** Quotes a value the way a spreadsheet exports it. */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** An endless CSV source that counts how many data rows it has produced. */
function countingSource(firstRows = ''): { input: Readable; produced: () => number; closed: () => boolean } {
  let produced = 0;
  let closed = false;
  function* chunks(): Generator<string> {
    try {
      yield `question,answer,category\n${firstRows}`;
      for (;;) {
        let chunk = '';
        for (let i = 0; i < 100; i++) {
          produced++;
          chunk += `What is ${produced} + ${produced}?,${produced * 2},arithmetic\n`;
        }
        yield chunk;
      }
    } finally {
      closed = true;
    }
  }
  return { input: Readable.from(chunks()), produced: () => produced, closed: () => closed };
}

describe(readDatasetCsv.name, () => {
  describe('valid files', () => {
    it('reads question, answer and category with the row number and line of each row', async () => {
      const rows = await readAll(streamOf('question,answer,category\nWhat is 2+2?,4,math\nCapital of France?,Paris,geo\n'));

      expect(rows).toEqual([
        { rowNumber: 1, line: 2, question: 'What is 2+2?', answer: '4', category: 'math' },
        { rowNumber: 2, line: 3, question: 'Capital of France?', answer: 'Paris', category: 'geo' },
      ]);
    });

    it('returns quotes, line breaks, commas, emoji and CJK byte for byte from a CRLF file with a BOM', async () => {
      const values = [
        ['He said "hi", then left', 'a "quoted" answer', 'quotes'],
        ['first line\r\nsecond line', 'one\ntwo\n', 'line breaks'],
        ['a, b, and c', '  kept padding\t', '  spaced category  '],
        ['Rocket 🚀 and family 👩‍👩‍👧?', '日本語の答え、です', '中文'],
        ['"', '""', ','],
      ];
      const lines = [['question', 'answer', 'category'], ...values].map((fields) => fields.map(csvField).join(','));
      const file = `${BOM}${lines.join('\r\n')}\r\n`;

      for (const chunkSize of [1, 64 * 1024]) {
        const rows = await readAll(streamOf(file, chunkSize));

        expect(rows.map(({ question, answer, category }) => [question, answer, category])).toEqual(values);
        expect(rows.map((row) => row.line)).toEqual([2, 3, 7, 8, 9]);
      }
    });

    it('keeps a multi-byte character intact when the stream splits it across chunks', async () => {
      const file = 'question,answer\n"Grüße 👋🏽, 你好?",Привет 🌍\n';
      const expected = await readAll(streamOf(file));

      for (const chunkSize of [1, 2, 3, 5]) {
        await expect(readAll(streamOf(file, chunkSize))).resolves.toEqual(expected);
      }
      expect(expected[0]).toMatchObject({ question: 'Grüße 👋🏽, 你好?', answer: 'Привет 🌍' });
    });

    it('accepts headers in any case with surrounding spaces, in any order, and ignores other columns', async () => {
      const rows = await readAll(streamOf(' ID , Category,ANSWER ,notes, Question\n7,geo,Paris,x,Capital?\n'));

      expect(rows).toEqual([{ rowNumber: 1, line: 2, question: 'Capital?', answer: 'Paris', category: 'geo' }]);
    });

    it('returns a null category when the column is missing or the value is blank', async () => {
      const withoutColumn = await readAll(streamOf('question,answer\nq,a\n'));
      const blank = await readAll(streamOf('question,answer,category\nq,a,\nq,a,"  "\n'));

      expect(withoutColumn[0].category).toBeNull();
      expect(blank.map((row) => row.category)).toEqual([null, null]);
    });

    it('skips empty lines at the end of the file and counts lines past blank ones', async () => {
      const rows = await readAll(streamOf('question,answer\r\nq1,a1\r\n\r\nq2,a2\r\n\r\n\r\n'));

      expect(rows.map((row) => [row.rowNumber, row.line])).toEqual([
        [1, 2],
        [2, 4],
      ]);
    });

    it('accepts a file of exactly maxBytes bytes and exactly maxRows rows', async () => {
      const file = 'question,answer\nq1,a1\nq2,a2\n';

      const rows = await readAll(streamOf(file, 4), { maxBytes: Buffer.byteLength(file), maxRows: 2 });

      expect(rows).toHaveLength(2);
    });
  });

  describe('invalid files', () => {
    it.each([
      ['zero bytes', ''],
      ['only a BOM', BOM],
      ['only whitespace', ' \r\n\t\n  \n'],
    ])('rejects an empty file (%s)', async (_, file) => {
      const error = await readError(streamOf(file));

      expect(error.code).toBe(DatasetCsvErrorCode.EmptyFile);
      expect(error.message).toMatch(/file is empty/);
    });

    it('rejects a file with a header but no data rows', async () => {
      const error = await readError(streamOf('question,answer,category\r\n\r\n'));

      expect(error.code).toBe(DatasetCsvErrorCode.HeaderOnly);
      expect(error.message).toMatch(/no data rows/);
    });

    it('rejects a header without the answer column and names the columns it found', async () => {
      const error = await readError(streamOf('Question,Reply,Category\nq,a,c\n'));

      expect(error).toMatchObject({ code: DatasetCsvErrorCode.MissingColumn, line: 1 });
      expect(error.message).toContain('missing the required column "answer"');
      expect(error.message).toContain('Columns found: "Question", "Reply", "Category"');
    });

    it('names both required columns when neither is in the header', async () => {
      const error = await readError(streamOf('prompt,expected\np,e\n'));

      expect(error.code).toBe(DatasetCsvErrorCode.MissingColumn);
      expect(error.message).toContain('columns "question", "answer"');
    });

    it('rejects a header that repeats a column in another case and names its positions', async () => {
      const error = await readError(streamOf('question,answer,Category,CATEGORY\nq,a,c,d\n'));

      expect(error).toMatchObject({ code: DatasetCsvErrorCode.DuplicateColumn, line: 1 });
      expect(error.message).toContain('"category" more than once (columns 3 and 4)');
    });

    it('rejects invalid UTF-8 and gives the byte offset and line', async () => {
      const file = Buffer.concat([Buffer.from('question,answer\nq1,a1\nq2,caf'), Buffer.from([0xe9]), Buffer.from('\n')]);

      for (const chunkSize of [1, 7, 1024]) {
        const error = await readError(streamOf(file, chunkSize));
        expect(error).toMatchObject({ code: DatasetCsvErrorCode.NotUtf8, line: 3 });
        expect(error.message).toContain('byte offset 28 (line 3)');
      }
    });

    it('rejects a multi-byte character cut off at the end of the file', async () => {
      const file = Buffer.concat([Buffer.from('question,answer\nq,a'), Buffer.from('🚀').subarray(0, 3)]);

      const error = await readError(streamOf(file, 2));

      expect(error.code).toBe(DatasetCsvErrorCode.NotUtf8);
      expect(error.message).toContain('byte offset 19 (line 2)');
    });

    it('tells the user when the file is UTF-16 rather than UTF-8', async () => {
      const file = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('question,answer\nq,a\n', 'utf16le')]);

      const error = await readError(streamOf(file));

      expect(error.code).toBe(DatasetCsvErrorCode.NotUtf8);
      expect(error.message).toContain('UTF-16');
    });

    it('rejects a file with a NUL byte as binary content and names the line', async () => {
      const error = await readError(streamOf('question,answer\nq,a\nq\u0000,a\n'));

      expect(error).toMatchObject({ code: DatasetCsvErrorCode.BinaryContent, line: 3 });
      expect(error.message).toContain('binary file');
      expect(error.message).toContain('NUL byte at byte offset 21');
    });

    it('rejects other control characters but allows tabs', async () => {
      const error = await readError(streamOf('question,answer\nq\t1,a\u0007\n'));

      expect(error.code).toBe(DatasetCsvErrorCode.BinaryContent);
      expect(error.message).toContain('control character (0x07)');
    });

    it('reports the first problem in a PK zip archive (such as an .xlsx) as binary content', async () => {
      const error = await readError(streamOf(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0xff, 0xfe])));

      expect(error.code).toBe(DatasetCsvErrorCode.BinaryContent);
    });

    it('rejects a file with an unclosed quote and names the line', async () => {
      const error = await readError(streamOf('question,answer\r\n"multi\r\nline",ok\r\nq2,"never closed\r\nq3,a3\r\n'));

      expect(error).toMatchObject({ code: DatasetCsvErrorCode.UnbalancedQuotes, row: 2, line: 4 });
      expect(error.message).toContain('Row 2 (starting at line 4) has a quoted value that is never closed');
    });

    it('rejects text after a closing quote and names the row and line', async () => {
      const error = await readError(streamOf('question,answer\nq1,a1\nq2,"say "hi" now"\n'));

      expect(error).toMatchObject({ code: DatasetCsvErrorCode.UnbalancedQuotes, row: 2, line: 3 });
      expect(error.message).toContain('text after its closing quote');
    });

    it('rejects a quote in the middle of an unquoted value', async () => {
      const error = await readError(streamOf('question,answer\nsay "hi",a\n'));

      expect(error).toMatchObject({ code: DatasetCsvErrorCode.UnbalancedQuotes, row: 1, line: 2 });
    });

    it('rejects an unclosed quote in the header', async () => {
      const error = await readError(streamOf('question,"answer\nq,a\n'));

      expect(error).toMatchObject({ code: DatasetCsvErrorCode.UnbalancedQuotes, row: undefined, line: 1 });
      expect(error.message).toContain('The header (line 1)');
    });

    it.each([
      ['more', 'q2,a2,extra', '3 values but the header has 2 columns'],
      ['fewer', 'q2', '1 value but the header has 2 columns'],
    ])('rejects a row with %s fields than the header and names the row and line', async (_, badRow, expected) => {
      const error = await readError(streamOf(`question,answer\n"q1\nstill q1",a1\n${badRow}\nq3,a3\n`));

      expect(error).toMatchObject({ code: DatasetCsvErrorCode.WrongFieldCount, row: 2, line: 4 });
      expect(error.message).toContain(`Row 2 (line 4) has ${expected}`);
    });

    it.each([
      ['question', '  ,a2'],
      ['answer', 'q2,""'],
    ])('rejects an empty %s and names the row and column', async (column, badRow) => {
      const error = await readError(streamOf(`question,answer\nq1,a1\n${badRow}\n`));

      expect(error).toMatchObject({ code: DatasetCsvErrorCode.EmptyValue, row: 2, line: 3 });
      expect(error.message).toContain(`Row 2 (line 3) has an empty "${column}"`);
    });

    it('rejects a file over maxBytes and states the limit in MB and bytes', async () => {
      const { input } = countingSource();

      const error = await readError(input, { maxBytes: 1024 * 1024, maxRows: 1_000_000 });

      expect(error.code).toBe(DatasetCsvErrorCode.TooLarge);
      expect(error.message).toContain('1 MB (1,048,576 bytes) limit');
    }, 30_000);

    it('rejects a file one byte over maxBytes', async () => {
      const file = 'question,answer\nq,a\n';

      const error = await readError(streamOf(file, 3), { maxBytes: Buffer.byteLength(file) - 1, maxRows: 10 });

      expect(error.code).toBe(DatasetCsvErrorCode.TooLarge);
      expect(error.message).toContain('19 bytes limit');
    });

    it('rejects more than maxRows data rows and states the limit', async () => {
      const error = await readError(streamOf('question,answer\nq1,a1\nq2,a2\nq3,a3\n'), { ...LIMITS, maxRows: 2 });

      expect(error).toMatchObject({ code: DatasetCsvErrorCode.TooManyRows, row: 3, line: 4 });
      expect(error.message).toContain('more than 2 data rows');
    });
  });

  describe('streaming', () => {
    it('reads 50,000 generated rows without buffering the file', async () => {
      const total = 50_000;
      let produced = 0;
      async function* source(): AsyncGenerator<string> {
        yield 'question,answer,category\n';
        while (produced < total) {
          let chunk = '';
          for (let i = 0; i < 500; i++) {
            produced++;
            chunk += `"Question ${produced}, with a comma",Answer ${produced} ✓,${produced % 2 === 0 ? 'even' : ''}\n`;
          }
          yield chunk;
        }
      }
      let producedAtFirstRow = -1;
      let last: DatasetCsvRow | undefined;

      for await (const row of readDatasetCsv(Readable.from(source()), LIMITS)) {
        producedAtFirstRow = producedAtFirstRow === -1 ? produced : producedAtFirstRow;
        last = row;
      }

      expect(last).toEqual({
        rowNumber: total,
        line: total + 1,
        question: `Question ${total}, with a comma`,
        answer: `Answer ${total} ✓`,
        category: 'even',
      });
      expect(producedAtFirstRow).toBeLessThan(5_000);
    }, 30_000);

    it('throws as soon as a bad row arrives, without reading the rest of the input', async () => {
      const source = countingSource('q0,,math\n');

      const error = await readError(source.input, { maxBytes: Number.MAX_SAFE_INTEGER, maxRows: Number.MAX_SAFE_INTEGER });

      expect(error).toMatchObject({ code: DatasetCsvErrorCode.EmptyValue, row: 1, line: 2 });
      expect(source.input.destroyed).toBe(true);
      expect(source.produced()).toBeLessThan(10_000);
    });

    it('destroys the input when the consumer stops early', async () => {
      const source = countingSource();
      const seen: number[] = [];

      for await (const row of readDatasetCsv(source.input, LIMITS)) {
        seen.push(row.rowNumber);
        if (seen.length === 3) {
          break;
        }
      }

      expect(seen).toEqual([1, 2, 3]);
      expect(source.input.destroyed).toBe(true);
      await new Promise((resolve) => setImmediate(resolve));
      expect(source.closed()).toBe(true);
      expect(source.produced()).toBeLessThan(10_000);
    });

    it('rethrows a failure of the input stream unchanged', async () => {
      const failure = new Error('connection reset');
      async function* source(): AsyncGenerator<string> {
        yield 'question,answer\nq,a\n';
        throw failure;
      }

      await expect(readAll(Readable.from(source()))).rejects.toBe(failure);
    });
  });
});
