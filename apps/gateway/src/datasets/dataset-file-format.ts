import { Readable } from 'node:stream';
import { readDatasetCsv } from './csv/dataset-csv.reader';
import { DatasetCsvLimits, DatasetCsvRow } from './csv/dataset-csv.types';
import { readDatasetJsonl } from './jsonl/dataset-jsonl.reader';

/** How an uploaded dataset file is read; also the extension of its stored original. */
export enum DatasetFileFormat {
  Csv = 'csv',
  Jsonl = 'jsonl',
}

const JSONL_MEDIA_TYPES = new Set(['application/x-ndjson', 'application/ndjson', 'application/jsonl', 'application/x-jsonlines']);
const JSONL_EXTENSION = /\.(jsonl|ndjson)$/i;

/** JSONL when the file part says so by its name (`.jsonl`, `.ndjson`) or its content type; CSV otherwise. */
export function datasetFileFormat(file: { originalname?: string; mimetype?: string }): DatasetFileFormat {
  const mediaType = (file.mimetype ?? '').split(';')[0].trim().toLowerCase();
  return JSONL_EXTENSION.test(file.originalname ?? '') || JSONL_MEDIA_TYPES.has(mediaType) ? DatasetFileFormat.Jsonl : DatasetFileFormat.Csv;
}

export const DATASET_FILE_MEDIA_TYPE: Record<DatasetFileFormat, string> = {
  [DatasetFileFormat.Csv]: 'text/csv',
  [DatasetFileFormat.Jsonl]: 'application/x-ndjson',
};

export function readDatasetRows(format: DatasetFileFormat, input: Readable, limits: DatasetCsvLimits): AsyncGenerator<DatasetCsvRow> {
  return format === DatasetFileFormat.Jsonl ? readDatasetJsonl(input, limits) : readDatasetCsv(input, limits);
}
