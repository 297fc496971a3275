/** Why an uploaded dataset file (CSV or JSONL) was rejected; the values are part of the public API error body. */
export enum DatasetCsvErrorCode {
  EmptyFile = 'empty_file',
  HeaderOnly = 'header_only',
  MissingColumn = 'missing_column',
  DuplicateColumn = 'duplicate_column',
  NotUtf8 = 'not_utf8',
  BinaryContent = 'binary_content',
  UnbalancedQuotes = 'unbalanced_quotes',
  WrongFieldCount = 'wrong_field_count',
  EmptyValue = 'empty_value',
  TooLarge = 'too_large',
  TooManyRows = 'too_many_rows',
  /** JSONL: a line is not valid JSON. */
  InvalidJson = 'invalid_json',
  /** JSONL: a line is JSON but not an object with string question and answer (and optional string category). */
  InvalidItem = 'invalid_item',
}

export interface DatasetCsvErrorLocation {
  /** 1-based data row (the header is not a data row). */
  row?: number;
  /** 1-based line in the file. */
  line?: number;
}

export class DatasetCsvError extends Error {
  readonly row?: number;
  readonly line?: number;

  constructor(
    readonly code: DatasetCsvErrorCode,
    message: string,
    location: DatasetCsvErrorLocation = {},
  ) {
    super(message);
    this.name = new.target.name;
    this.row = location.row;
    this.line = location.line;
  }
}
