import type { CsvError } from 'csv-parse';

import { DatasetCsvError, DatasetCsvErrorCode } from './dataset-csv.error';
import { DatasetCsvColumns, resolveDatasetCsvHeader } from './dataset-csv-header.resolver';
import { DatasetCsvRow } from './dataset-csv.types';

const numberFormat = new Intl.NumberFormat('en-US');

/**
 * Turns parsed CSV records into dataset rows, one record at a time, and knows where each
 * record starts so that every error can name its row and line.
 */
export class DatasetCsvRowMapper {
  private columns: DatasetCsvColumns | null = null;
  private rowCount = 0;
  // Line breaks inside and after every record so far. csv-parse's own line counter is not used
  // because it counts a CRLF inside a quoted field as two lines.
  private lineBreaksConsumed = 0;

  constructor(private readonly maxRows: number) {}

  /** Takes the next record; returns null for the header and for blank lines. */
  accept(fields: string[], emptyLinesSkipped: number): DatasetCsvRow | null {
    const line = this.recordStartLine(emptyLinesSkipped);
    this.lineBreaksConsumed += fields.reduce((sum, field) => sum + countLineBreaks(field), 1);
    if (fields.length === 1 && fields[0].trim() === '') {
      return null;
    }
    if (this.columns === null) {
      this.columns = resolveDatasetCsvHeader(fields, line);
      return null;
    }
    return this.toRow(fields, line, this.columns);
  }

  /** Checks what can only be known once the whole file has been read. */
  finish(): void {
    if (this.columns === null) {
      throw new DatasetCsvError(
        DatasetCsvErrorCode.EmptyFile,
        'The file is empty. Upload a CSV file with a header row (question, answer and optionally category) ' +
          'followed by one row per question.',
      );
    }
    if (this.rowCount === 0) {
      throw new DatasetCsvError(
        DatasetCsvErrorCode.HeaderOnly,
        'The file has a header row but no data rows. Add at least one row with a question and an answer.',
      );
    }
  }

  /** Explains a csv-parse error in terms of the record it happened in; null when it is not about the file. */
  describeParseError(error: CsvError): DatasetCsvError | null {
    const line = this.recordStartLine(typeof error.empty_lines === 'number' ? error.empty_lines : 0);
    const row = this.columns === null ? undefined : this.rowCount + 1;
    const where = row === undefined ? `The header (line ${line})` : `Row ${row} (starting at line ${line})`;
    const advice = 'A value that contains quotes must be wrapped in double quotes, with each quote inside it doubled ("").';
    switch (error.code) {
      case 'CSV_QUOTE_NOT_CLOSED':
        return unbalancedQuotes(`${where} has a quoted value that is never closed. ${advice}`, row, line);
      case 'CSV_INVALID_CLOSING_QUOTE':
      case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
        return unbalancedQuotes(`${where} has a quoted value with more text after its closing quote. ${advice}`, row, line);
      case 'INVALID_OPENING_QUOTE':
        return unbalancedQuotes(`${where} has a quote in the middle of an unquoted value. ${advice}`, row, line);
      default:
        return null;
    }
  }

  private toRow(fields: string[], line: number, columns: DatasetCsvColumns): DatasetCsvRow {
    if (this.rowCount === this.maxRows) {
      throw new DatasetCsvError(
        DatasetCsvErrorCode.TooManyRows,
        `The file has more than ${numberFormat.format(this.maxRows)} data rows, the most one upload may have. ` +
          'Split it into smaller files.',
        { row: this.rowCount + 1, line },
      );
    }
    const rowNumber = ++this.rowCount;
    if (fields.length !== columns.fieldCount) {
      throw new DatasetCsvError(
        DatasetCsvErrorCode.WrongFieldCount,
        `Row ${rowNumber} (line ${line}) has ${plural(fields.length, 'value')} but the header has ${plural(columns.fieldCount, 'column')}. ` +
          'A value that contains a comma or a line break must be wrapped in double quotes.',
        { row: rowNumber, line },
      );
    }
    const question = requireValue(fields[columns.question], 'question', rowNumber, line);
    const answer = requireValue(fields[columns.answer], 'answer', rowNumber, line);
    const category = columns.category === null ? '' : fields[columns.category];
    return { rowNumber, line, question, answer, category: category.trim() === '' ? null : category };
  }

  private recordStartLine(emptyLinesSkipped: number): number {
    return 1 + this.lineBreaksConsumed + emptyLinesSkipped;
  }
}

function requireValue(value: string, column: string, row: number, line: number): string {
  if (value.trim() === '') {
    throw new DatasetCsvError(
      DatasetCsvErrorCode.EmptyValue,
      `Row ${row} (line ${line}) has an empty "${column}". Every row needs a question and an answer.`,
      { row, line },
    );
  }
  return value;
}

function unbalancedQuotes(message: string, row: number | undefined, line: number): DatasetCsvError {
  return new DatasetCsvError(DatasetCsvErrorCode.UnbalancedQuotes, message, { row, line });
}

/** CRLF, LF and a lone CR each end one line, as in a text editor. */
function countLineBreaks(value: string): number {
  return value.includes('\n') || value.includes('\r') ? (value.match(/\r\n?|\n/g)?.length ?? 0) : 0;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
