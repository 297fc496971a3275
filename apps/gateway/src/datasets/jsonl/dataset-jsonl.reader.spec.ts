import { Readable } from 'node:stream';
import { DatasetCsvError } from '../csv/dataset-csv.error';
import { DatasetCsvLimits, DatasetCsvRow } from '../csv/dataset-csv.types';
import { readDatasetJsonl } from './dataset-jsonl.reader';

const LIMITS: DatasetCsvLimits = { maxBytes: 10 * 1024 * 1024, maxRows: 100 };

/** A byte stream that hands out `content` in chunks of `chunkSize` bytes (small chunks split lines and characters). */
function streamOf(content: string | Buffer, chunkSize = 7): Readable {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  const chunks: Buffer[] = [];
  for (let start = 0; start < bytes.length; start += chunkSize) chunks.push(bytes.subarray(start, start + chunkSize));
  return Readable.from(chunks);
}

async function readAll(content: string | Buffer, limits = LIMITS): Promise<DatasetCsvRow[]> {
  const rows: DatasetCsvRow[] = [];
  for await (const row of readDatasetJsonl(streamOf(content), limits)) rows.push(row);
  return rows;
}

async function readError(content: string | Buffer, limits = LIMITS): Promise<DatasetCsvError> {
  const error = await readAll(content, limits).then(() => new Error('expected the file to be rejected'), (thrown: unknown) => thrown);
  if (!(error instanceof DatasetCsvError)) throw error;
  return error;
}

describe(readDatasetJsonl.name, () => {
  it('reads one row per object line, across chunk boundaries, skipping blank lines and a BOM', async () => {
    const content = '\uFEFF{"question":"Say \\"hi\\"\\nplease","answer":"👋 こんにちは","category":"greet","id":7}\r\n\n' +
      '  \n{"question":"2+2","answer":4,"category":null}';
    expect(await readAll(content)).toEqual([
      { rowNumber: 1, line: 1, question: 'Say "hi"\nplease', answer: '👋 こんにちは', category: 'greet' },
      { rowNumber: 2, line: 4, question: '2+2', answer: '4', category: null },
    ]);
  });

  it.each([
    ['invalid JSON', '{"question":"q","answer":"a"}\n{"question": "q", answer: "a"}\n', 'invalid_json', 2],
    ['an array', '["q","a"]\n', 'invalid_item', 1],
    ['a missing answer', '{"question":"q"}\n', 'invalid_item', 1],
    ['a non-string question', '{"question":{"text":"q"},"answer":"a"}\n', 'invalid_item', 1],
    ['a non-string category', '{"question":"q","answer":"a","category":3}\n', 'invalid_item', 1],
    ['a NUL character', '{"question":"q\\u0000","answer":"a"}\n', 'invalid_item', 1],
    ['an empty answer', '\n\n{"question":"q","answer":"  "}\n', 'empty_value', 3],
  ])('rejects %s naming the line', async (_, content, code, line) => {
    const error = await readError(content);
    expect(error).toMatchObject({ code, line });
    expect(error.message).toContain(`Line ${line}`);
  });

  it('rejects an empty file, too many rows, too many bytes and invalid UTF-8', async () => {
    expect((await readError('\n \n')).code).toBe('empty_file');
    expect(await readError('{"question":"q","answer":"a"}\n'.repeat(3), { ...LIMITS, maxRows: 2 })).toMatchObject({ code: 'too_many_rows', line: 3 });
    expect((await readError('{"question":"q","answer":"a"}\n'.repeat(3), { ...LIMITS, maxBytes: 40 })).code).toBe('too_large');
    const latin1 = Buffer.concat([Buffer.from('{"question":"caf'), Buffer.from([0xe9]), Buffer.from('","answer":"a"}\n')]);
    const notUtf8 = await readError(latin1);
    expect(notUtf8.code).toBe('not_utf8');
    expect(notUtf8.message).not.toContain('Excel');
  });
});
