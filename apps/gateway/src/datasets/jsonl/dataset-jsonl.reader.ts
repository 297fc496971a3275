import { Readable, pipeline } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { DatasetCsvBytesValidator } from '../csv/dataset-csv-bytes.validator';
import { DatasetCsvError, DatasetCsvErrorCode } from '../csv/dataset-csv.error';
import { DatasetCsvLimits, DatasetCsvRow } from '../csv/dataset-csv.types';
import { DatasetJsonlLineMapper } from './dataset-jsonl-line.mapper';

const BOM = '\uFEFF';

/**
 * Streams the rows of an uploaded JSONL dataset (one JSON object per line; blank lines skipped),
 * holding at most one chunk and one line in memory. Throws a DatasetCsvError naming the line as soon
 * as the file is known to be invalid; the input is destroyed when the consumer stops or an error is thrown.
 */
export async function* readDatasetJsonl(input: Readable, limits: DatasetCsvLimits): AsyncGenerator<DatasetCsvRow> {
  const bytes = new DatasetCsvBytesValidator(limits.maxBytes, 'JSONL');
  const mapper = new DatasetJsonlLineMapper(limits.maxRows);
  const decoder = new StringDecoder('utf8');
  // Errors reach the loop below through the validator, which pipeline destroys with the first error.
  pipeline(input, bytes, () => undefined);
  let partial = '';
  let line = 0;
  try {
    for await (const chunk of bytes as AsyncIterable<Buffer>) {
      const pieces = (partial + decoder.write(chunk)).split('\n');
      partial = pieces.pop() ?? '';
      for (const text of pieces) {
        line += 1;
        const row = accept(text);
        if (row) yield row;
      }
    }
    const last = partial + decoder.end();
    if (last !== '') {
      line += 1;
      const row = accept(last);
      if (row) yield row;
    }
    if (mapper.rows === 0) {
      throw new DatasetCsvError(
        DatasetCsvErrorCode.EmptyFile,
        'The file has no data lines. Upload a JSONL file with one JSON object per line, such as {"question": "...", "answer": "..."}.',
      );
    }
  } finally {
    input.destroy();
    bytes.destroy();
  }

  function accept(raw: string): DatasetCsvRow | null {
    const text = line === 1 && raw.startsWith(BOM) ? raw.slice(1) : raw;
    if (text.trim() === '') return null;
    return mapper.accept(text, line);
  }
}
