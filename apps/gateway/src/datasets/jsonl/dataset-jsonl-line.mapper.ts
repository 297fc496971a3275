import { DatasetCsvError, DatasetCsvErrorCode } from '../csv/dataset-csv.error';
import { DatasetCsvRow } from '../csv/dataset-csv.types';

const numberFormat = new Intl.NumberFormat('en-US');
const EXAMPLE = '{"question": "...", "answer": "...", "category": "..."}';

/**
 * Turns one JSONL line into a dataset row. `question` and `answer` are required strings (a number is
 * taken as its decimal text), `category` an optional string or null; any other field is ignored.
 */
export class DatasetJsonlLineMapper {
  private rowCount = 0;

  constructor(private readonly maxRows: number) {}

  get rows(): number {
    return this.rowCount;
  }

  accept(text: string, line: number): DatasetCsvRow {
    if (this.rowCount === this.maxRows) {
      throw new DatasetCsvError(
        DatasetCsvErrorCode.TooManyRows,
        `The file has more than ${numberFormat.format(this.maxRows)} data rows, the most one upload may have. Split it into smaller files.`,
        { row: this.rowCount + 1, line },
      );
    }
    const rowNumber = ++this.rowCount;
    const value = parseLine(text, rowNumber, line);
    const question = requireText(value, 'question', rowNumber, line);
    const answer = requireText(value, 'answer', rowNumber, line);
    const category = value.category;
    if (category !== undefined && category !== null && typeof category !== 'string') {
      throw invalidItem(`Line ${line} has a "category" that is ${describe(category)}; it must be a string or null.`, rowNumber, line);
    }
    for (const [field, text] of [['question', question], ['answer', answer], ['category', category]] as const) {
      // JSON can spell a NUL ("\u0000"), which Postgres text cannot store.
      if (typeof text === 'string' && text.includes('\u0000')) {
        throw invalidItem(`Line ${line} has a NUL character (\\u0000) in "${field}"; text values cannot contain it.`, rowNumber, line);
      }
    }
    return { rowNumber, line, question, answer, category: typeof category === 'string' && category.trim() !== '' ? category : null };
  }
}

function parseLine(text: string, row: number, line: number): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new DatasetCsvError(
      DatasetCsvErrorCode.InvalidJson,
      `Line ${line} is not valid JSON (${(error as Error).message}). Each line must be one JSON object such as ${EXAMPLE}.`,
      { row, line },
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidItem(`Line ${line} is ${describe(value)}, not a JSON object. Each line must be one object such as ${EXAMPLE}.`, row, line);
  }
  return value as Record<string, unknown>;
}

function requireText(item: Record<string, unknown>, field: 'question' | 'answer', row: number, line: number): string {
  const value = item[field];
  if (value === undefined || value === null) {
    throw invalidItem(`Line ${line} has no "${field}". Every line needs a question and an answer.`, row, line);
  }
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
  if (typeof text !== 'string') {
    throw invalidItem(`Line ${line} has a "${field}" that is ${describe(value)}; it must be a string.`, row, line);
  }
  if (text.trim() === '') {
    throw new DatasetCsvError(DatasetCsvErrorCode.EmptyValue, `Line ${line} has an empty "${field}". Every line needs a question and an answer.`, { row, line });
  }
  return text;
}

function invalidItem(message: string, row: number, line: number): DatasetCsvError {
  return new DatasetCsvError(DatasetCsvErrorCode.InvalidItem, message, { row, line });
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
