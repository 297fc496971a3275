/** One data row of an uploaded dataset; values are exactly as written in the file. */
export interface DatasetCsvRow {
  /** 1-based data row; the header and skipped blank lines are not counted. */
  rowNumber: number;
  /** 1-based line in the file where the record starts. */
  line: number;
  question: string;
  answer: string;
  category: string | null;
}

export interface DatasetCsvLimits {
  maxBytes: number;
  maxRows: number;
}
