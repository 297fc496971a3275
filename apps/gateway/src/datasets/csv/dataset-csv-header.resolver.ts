import { DatasetCsvError, DatasetCsvErrorCode } from './dataset-csv.error';

/** Positions of the dataset columns in the header; other columns are ignored. */
export interface DatasetCsvColumns {
  question: number;
  answer: number;
  category: number | null;
  fieldCount: number;
}

const REQUIRED = ['question', 'answer'] as const;
const KNOWN = new Set<string>([...REQUIRED, 'category']);

export function resolveDatasetCsvHeader(fields: string[], line: number): DatasetCsvColumns {
  const names = fields.map((field) => field.trim().toLowerCase());
  const missing = REQUIRED.filter((name) => !names.includes(name));
  if (missing.length > 0) {
    const found = fields.map((field) => field.trim()).filter((field) => field !== '');
    throw new DatasetCsvError(
      DatasetCsvErrorCode.MissingColumn,
      `The header (line ${line}) is missing the required column${missing.length > 1 ? 's' : ''} ${quoteAll(missing)}. ` +
        `Columns found: ${found.length > 0 ? quoteAll(found) : 'none'}. ` +
        'The header needs "question" and "answer"; "category" is optional.',
      { line },
    );
  }
  const duplicate = names.find((name, index) => KNOWN.has(name) && names.indexOf(name) !== index);
  if (duplicate !== undefined) {
    const positions = names.flatMap((name, index) => (name === duplicate ? [index + 1] : []));
    throw new DatasetCsvError(
      DatasetCsvErrorCode.DuplicateColumn,
      `The header (line ${line}) has the column "${duplicate}" more than once (columns ${positions.join(' and ')}). ` +
        'Keep only one of them.',
      { line },
    );
  }
  const category = names.indexOf('category');
  return {
    question: names.indexOf('question'),
    answer: names.indexOf('answer'),
    category: category === -1 ? null : category,
    fieldCount: fields.length,
  };
}

function quoteAll(names: readonly string[]): string {
  return names.map((name) => JSON.stringify(name)).join(', ');
}
