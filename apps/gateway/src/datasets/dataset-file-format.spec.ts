import { DatasetFileFormat, datasetFileFormat } from './dataset-file-format';

describe(datasetFileFormat.name, () => {
  it.each([
    [{ originalname: 'items.jsonl', mimetype: 'application/octet-stream' }, DatasetFileFormat.Jsonl],
    [{ originalname: 'ITEMS.NDJSON' }, DatasetFileFormat.Jsonl],
    [{ originalname: 'export.txt', mimetype: 'application/x-ndjson; charset=utf-8' }, DatasetFileFormat.Jsonl],
    [{ originalname: 'data.csv', mimetype: 'text/csv' }, DatasetFileFormat.Csv],
    [{ originalname: 'data.jsonl.csv', mimetype: 'application/octet-stream' }, DatasetFileFormat.Csv],
    [{ originalname: '' }, DatasetFileFormat.Csv],
  ])('reads %j as %s', (file, format) => {
    expect(datasetFileFormat(file)).toBe(format);
  });
});
