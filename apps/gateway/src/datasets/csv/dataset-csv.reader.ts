import { CsvError, Options, parse } from 'csv-parse';
import { Readable, pipeline } from 'node:stream';

import { DatasetCsvBytesValidator } from './dataset-csv-bytes.validator';
import { DatasetCsvRowMapper } from './dataset-csv-row.mapper';
import { DatasetCsvLimits, DatasetCsvRow } from './dataset-csv.types';

export { DatasetCsvError, DatasetCsvErrorCode } from './dataset-csv.error';
export type { DatasetCsvLimits, DatasetCsvRow } from './dataset-csv.types';

/**
 * Streams the data rows of an uploaded dataset CSV. Throws a DatasetCsvError as soon as the file
 * is known to be invalid; the input is destroyed when the consumer stops or an error is thrown.
 */
export async function* readDatasetCsv(input: Readable, limits: DatasetCsvLimits): AsyncGenerator<DatasetCsvRow> {
  const bytes = new DatasetCsvBytesValidator(limits.maxBytes);
  const rows = new DatasetCsvRowMapper(limits.maxRows);
  const options: Options<DatasetCsvRow, string[]> = {
    bom: true,
    record_delimiter: ['\r\n', '\n', '\r'],
    skip_empty_lines: true,
    // Field counts are checked against the header by the mapper, which knows rows and lines.
    relax_column_count: true,
    // Validation runs here, inside the parser, so an error stops parsing at the record that caused it.
    on_record: (fields, info) => rows.accept(fields, info.empty_lines),
  };
  // csv-parse's option-only overload is not generic, so it cannot know on_record's row type.
  const parser = parse(options as unknown as Options);
  // Errors reach the loop below through the parser, which pipeline destroys with the first error.
  pipeline(input, bytes, parser, () => undefined);
  try {
    for await (const row of parser as AsyncIterable<DatasetCsvRow>) {
      yield row;
    }
    rows.finish();
  } catch (error) {
    throw (error instanceof CsvError && rows.describeParseError(error)) || error;
  } finally {
    input.destroy();
    bytes.destroy();
    parser.destroy();
  }
}
