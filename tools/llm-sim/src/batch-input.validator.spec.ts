import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchInputValidator, validateBatchInputFile } from './batch-input.validator';

const LIMITS = { maxRequests: 50_000, maxFileBytes: 200 * 1024 * 1024, maxEmbeddingInputs: 50_000 };
const request = (customId: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ custom_id: customId, method: 'POST', url: '/v1/chat/completions', body: { model: 'sim-small', messages: [] }, ...extra });

function check(lines: string[], endpoint = '/v1/chat/completions', limits = LIMITS, fileBytes = 10) {
  const sut = new BatchInputValidator(endpoint, limits);
  lines.forEach((line, i) => sut.addLine(line, i + 1));
  return sut.finish(fileBytes);
}

describe(BatchInputValidator.name, () => {
  it('accepts valid requests, counting them and taking the model of the first', () => {
    expect(check([request('a'), request('b')])).toEqual({ errors: [], total: 2, model: 'sim-small' });
  });

  it('reports each bad line with its code, param and line number', () => {
    const { errors } = check([
      request('a'),
      'not json',
      request('a'),
      request('b', { method: 'GET' }),
      request('c', { url: '/v1/images/generations' }),
      request('d', { url: '/v1/embeddings' }),
      request('e', { body: 'text' }),
      request(''),
    ]);
    expect(errors.map(({ code, param, line }) => [code, param, line])).toEqual([
      ['invalid_json_line', null, 2],
      ['duplicate_custom_id', 'custom_id', 3],
      ['invalid_method', 'method', 4],
      ['invalid_url', 'url', 5],
      ['mismatched_endpoint', 'url', 6],
      ['invalid_body', 'body', 7],
      ['missing_custom_id', 'custom_id', 8],
    ]);
  });

  it('reports the request limit once, on the first request past it', () => {
    const { errors } = check(['a', 'b', 'c', 'd'].map((id) => request(id)), undefined, { ...LIMITS, maxRequests: 2 });
    expect(errors).toEqual([expect.objectContaining({ code: 'too_many_requests', line: 3 })]);
  });

  it('counts embedding inputs across the batch (a string is one, an array its length)', () => {
    const embed = (id: string, input: unknown) => request(id, { url: '/v1/embeddings', body: { model: 'e', input } });
    const limits = { ...LIMITS, maxEmbeddingInputs: 4 };
    expect(check([embed('a', ['x', 'y']), embed('b', 'z'), embed('c', 'w')], '/v1/embeddings', limits).errors).toEqual([]);
    const over = check([embed('a', ['x', 'y', 'z']), embed('b', ['v', 'w']), embed('c', 'u')], '/v1/embeddings', limits);
    expect(over.errors).toEqual([expect.objectContaining({ code: 'too_many_embedding_inputs', param: 'input', line: 2 })]);
  });

  it('fails an empty file and a file over the byte limit', () => {
    expect(check([]).errors).toEqual([expect.objectContaining({ code: 'empty_file', line: null })]);
    expect(check([request('a')], undefined, { ...LIMITS, maxFileBytes: 5 }, 6).errors).toEqual([
      expect.objectContaining({ code: 'file_too_large', line: null }),
    ]);
  });
});

describe(validateBatchInputFile.name, () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'llm-sim-validator-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('streams a file line by line, numbering lines as in the file (blank lines included)', async () => {
    const path = join(dir, 'input.jsonl');
    writeFileSync(path, [request('a'), '', request('a')].join('\r\n') + '\r\n');
    const result = await validateBatchInputFile(path, statSync(path).size, '/v1/chat/completions', LIMITS);
    expect(result.total).toBe(2);
    expect(result.errors).toEqual([expect.objectContaining({ code: 'duplicate_custom_id', line: 3 })]);
  });

  it('handles thousands of lines', async () => {
    const path = join(dir, 'many.jsonl');
    writeFileSync(path, Array.from({ length: 5000 }, (_, i) => request(`r${i}`)).join('\n'));
    expect(await validateBatchInputFile(path, statSync(path).size, '/v1/chat/completions', LIMITS)).toMatchObject({ errors: [], total: 5000 });
  });
});
