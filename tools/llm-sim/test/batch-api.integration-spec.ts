import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pollUntil } from '@yardstick/testing';
import OpenAI from 'openai';
import { type LlmSimHandle, startLlmSim } from '../src/llm-sim.server';

type Batch = OpenAI.Batches.Batch;
interface ResultLine {
  id: string;
  custom_id: string;
  response: { status_code: number; request_id: string; body: Record<string, unknown> } | null;
  error: { code: string; message: string } | null;
}

const QUESTIONS = Array.from({ length: 30 }, (_, i) => ({ question: `Q${i}: which gate opens lock ${i}?`, answer: `gate-${i * 3}` }));
const FINAL = ['completed', 'failed', 'expired', 'cancelled'];
const responsesLine = (i: number, body: Record<string, unknown> = {}) => ({
  custom_id: `req-${i}`,
  method: 'POST',
  url: '/v1/responses',
  body: { model: i % 2 ? 'sim-small' : 'sim-large', input: QUESTIONS[i % QUESTIONS.length].question, ...body },
});

describe('llm-sim Batch API through the openai SDK', () => {
  let sim: LlmSimHandle;
  let client: OpenAI;
  let dir: string;
  let fileCount = 0;

  const admin = async (method: string, path: string, body: unknown) => {
    const res = await fetch(`${sim.url}${path}`, { method, body: JSON.stringify(body) });
    expect(res.status).toBe(200);
  };
  const upload = (lines: unknown[]) => {
    const path = join(dir, `input-${++fileCount}.jsonl`);
    writeFileSync(path, lines.map((line) => (typeof line === 'string' ? line : JSON.stringify(line))).join('\n') + '\n');
    return client.files.create({ file: createReadStream(path), purpose: 'batch' });
  };
  const createBatch = async (lines: unknown[], endpoint: '/v1/responses' | '/v1/embeddings' | '/v1/chat/completions' = '/v1/responses') =>
    client.batches.create({ input_file_id: (await upload(lines)).id, endpoint, completion_window: '24h' });
  const settle = (id: string): Promise<Batch> =>
    pollUntil(`batch ${id} to end`, async () => {
      const batch = await client.batches.retrieve(id);
      return FINAL.includes(batch.status) ? batch : undefined;
    }, { timeoutMs: 20_000, intervalMs: 25 });
  const readLines = async (fileId: string | null | undefined): Promise<ResultLine[]> => {
    if (!fileId) return [];
    const text = await (await client.files.content(fileId)).text();
    return text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as ResultLine);
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'llm-sim-batch-spec-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  beforeEach(async () => {
    sim = await startLlmSim({ port: 0, answerKey: QUESTIONS, batch: { validatingMs: 10, requestMs: 1, finalizingMs: 10 } });
    client = new OpenAI({ baseURL: sim.baseURL, apiKey: 'x', maxRetries: 0 });
  });
  afterEach(() => sim.close());

  it('completes a batch whose outputs, mapped by custom_id, equal the sync answers', async () => {
    const lines = Array.from({ length: 24 }, (_, i) => responsesLine(i, { temperature: 0.7 }));
    const created = await client.batches.create({
      input_file_id: (await upload(lines)).id,
      endpoint: '/v1/responses',
      completion_window: '24h',
      metadata: { run: 'r1' },
    });
    expect(created).toMatchObject({ object: 'batch', status: 'validating', metadata: { run: 'r1' }, completion_window: '24h' });
    expect(created.expires_at).toBeGreaterThanOrEqual(created.created_at + 24 * 3600 - 1);
    const batch = await settle(created.id);
    expect(batch).toMatchObject({ status: 'completed', request_counts: { total: 24, completed: 24, failed: 0 }, error_file_id: null });
    for (const field of ['in_progress_at', 'finalizing_at', 'completed_at'] as const) expect(batch[field]).toBeGreaterThanOrEqual(batch.created_at);
    const output = await readLines(batch.output_file_id);
    expect(output.map((line) => line.custom_id)).not.toEqual(lines.map((line) => line.custom_id));
    const byId = new Map(output.map((line) => [line.custom_id, line]));
    let inputTokens = 0;
    for (const line of lines) {
      const result = byId.get(line.custom_id)!;
      expect(result).toMatchObject({ error: null, response: { status_code: 200 } });
      expect(result.response!.request_id).toMatch(/^req_/);
      const sync = await client.responses.create(line.body as OpenAI.Responses.ResponseCreateParamsNonStreaming);
      const body = result.response!.body as unknown as OpenAI.Responses.Response;
      expect(body.output).toEqual(sync.output.map((item) => ({ ...item, id: expect.any(String) })));
      expect(body.usage).toEqual(sync.usage);
      inputTokens += sync.usage!.input_tokens;
    }
    expect(batch.usage?.input_tokens).toBe(inputTokens);
    expect(await client.files.retrieve(batch.output_file_id!)).toMatchObject({ purpose: 'batch_output', status: 'processed' });
  });

  it('answers embeddings in a batch with the vectors of the sync endpoint', async () => {
    const inputs = [['the cat sat', 'on the mat'], ['quarterly revenue grew'], ['a', 'b', 'c']];
    const lines = inputs.map((input, i) => ({
      custom_id: `emb-${i}`,
      method: 'POST',
      url: '/v1/embeddings',
      body: { model: 'text-embedding-3-small', input, encoding_format: 'float', dimensions: 32 },
    }));
    const batch = await settle((await createBatch(lines, '/v1/embeddings')).id);
    expect(batch).toMatchObject({ status: 'completed', model: 'text-embedding-3-small', request_counts: { total: 3, completed: 3 } });
    const byId = new Map((await readLines(batch.output_file_id)).map((line) => [line.custom_id, line.response!.body]));
    for (const line of lines) {
      const sync = await client.embeddings.create(line.body as OpenAI.Embeddings.EmbeddingCreateParams);
      expect(byId.get(line.custom_id)).toEqual(sync);
    }
  });

  it('puts injected and invalid-request failures in the error file, the rest in the output', async () => {
    await admin('POST', '/sim/batch-faults', { fail_rate: 0.25, fail_status: 500 });
    const lines = [...Array.from({ length: 20 }, (_, i) => responsesLine(i)), { ...responsesLine(20), body: { input: 'no model' } }];
    const batch = await settle((await createBatch(lines)).id);
    expect(batch).toMatchObject({ status: 'completed', request_counts: { total: 21, completed: 15, failed: 6 } });
    const errors = await readLines(batch.error_file_id);
    expect(errors.filter((line) => line.response?.status_code === 500)).toHaveLength(5);
    expect(errors.find((line) => line.custom_id === 'req-20')?.response).toMatchObject({
      status_code: 400,
      body: { error: { param: 'model', type: 'invalid_request_error' } },
    });
    expect(await readLines(batch.output_file_id)).toHaveLength(15);
  });

  it('expires after N requests when told to: exactly the unfinished requests get batch_expired', async () => {
    await admin('POST', '/sim/batch-faults', { expire_after_requests: 4 });
    const lines = Array.from({ length: 10 }, (_, i) => responsesLine(i));
    const batch = await settle((await createBatch(lines)).id);
    expect(batch).toMatchObject({ status: 'expired', request_counts: { total: 10, completed: 4, failed: 6 } });
    expect(batch.expired_at).toEqual(expect.any(Number));
    const done = (await readLines(batch.output_file_id)).map((line) => line.custom_id);
    const expired = await readLines(batch.error_file_id);
    expect(expired.every((line) => line.error?.code === 'batch_expired' && line.response === null)).toBe(true);
    expect(done.sort()).toEqual(['req-0', 'req-1', 'req-2', 'req-3']);
    expect(expired.map((line) => line.custom_id).sort()).toEqual(lines.slice(4).map((line) => line.custom_id).sort());
  });

  it('expires at the end of a compressed completion window with consistent counts', async () => {
    await admin('PUT', '/sim/batch-config', { request_ms: 40, completion_window_ms: 400 });
    const lines = Array.from({ length: 30 }, (_, i) => responsesLine(i));
    const batch = await settle((await createBatch(lines)).id);
    expect(batch.status).toBe('expired');
    const done = (await readLines(batch.output_file_id)).map((line) => line.custom_id);
    const expired = (await readLines(batch.error_file_id)).map((line) => line.custom_id);
    expect(batch.request_counts).toEqual({ total: 30, completed: done.length, failed: expired.length });
    expect(new Set([...done, ...expired]).size).toBe(30);
    expect(expired.length).toBeGreaterThan(0);
  });

  it('cancels a running batch, keeping the results done so far, and refuses to cancel a finished one', async () => {
    await admin('PUT', '/sim/batch-config', { request_ms: 20 });
    const { id } = await createBatch(Array.from({ length: 200 }, (_, i) => responsesLine(i)));
    await pollUntil('some requests done', async () => ((await client.batches.retrieve(id)).request_counts!.completed >= 2 ? true : undefined));
    expect((await client.batches.cancel(id)).status).toBe('cancelling');
    const batch = await settle(id);
    expect(batch.status).toBe('cancelled');
    expect(batch.cancelling_at).toEqual(expect.any(Number));
    expect(batch.cancelled_at).toEqual(expect.any(Number));
    expect(batch.request_counts!.completed).toBeLessThan(200);
    expect(await readLines(batch.output_file_id)).toHaveLength(batch.request_counts!.completed);

    await admin('PUT', '/sim/batch-config', { request_ms: 0 });
    const done = await settle((await createBatch([responsesLine(0)])).id);
    await expect(client.batches.cancel(done.id)).rejects.toBeInstanceOf(OpenAI.ConflictError);
  });

  it.each([
    ['invalid_json_line', ['{"custom_id": "a",']],
    ['duplicate_custom_id', [responsesLine(0), responsesLine(0)]],
    ['invalid_method', [{ ...responsesLine(0), method: 'GET' }]],
    ['invalid_url', [{ ...responsesLine(0), url: '/v1/completions' }]],
    ['mismatched_endpoint', [responsesLine(0), { ...responsesLine(1), url: '/v1/embeddings' }]],
    ['missing_custom_id', [{ ...responsesLine(0), custom_id: 7 }]],
  ])('fails validation with %s', async (code, lines) => {
    const batch = await settle((await createBatch(lines)).id);
    expect(batch.status).toBe('failed');
    expect(batch.failed_at).toEqual(expect.any(Number));
    expect(batch.errors?.data?.[0]).toMatchObject({ code, line: lines.length });
    expect(batch.output_file_id).toBeNull();
  });

  it('enforces the request, embedding-input and file-size limits, and an injected validation failure', async () => {
    await admin('PUT', '/sim/batch-config', { max_requests: 3, max_embedding_inputs: 5, max_file_bytes: 2000 });
    const tooMany = await settle((await createBatch(Array.from({ length: 4 }, (_, i) => responsesLine(i)))).id);
    expect(tooMany.errors!.data).toEqual([expect.objectContaining({ code: 'too_many_requests', line: 4 })]);
    const embed = (i: number) => ({ custom_id: `e${i}`, method: 'POST', url: '/v1/embeddings', body: { model: 'e', input: ['x', 'y', 'z'] } });
    const tooManyInputs = await settle((await createBatch([embed(0), embed(1)], '/v1/embeddings')).id);
    expect(tooManyInputs.errors!.data).toEqual([expect.objectContaining({ code: 'too_many_embedding_inputs', line: 2 })]);
    const big = [{ ...responsesLine(0), body: { model: 'm', input: 'x'.repeat(2100) } }];
    await expect(upload(big)).rejects.toMatchObject({ status: 400, param: 'file', code: 'file_too_large' });

    await admin('POST', '/sim/batch-faults', { fail_validation: true });
    const injected = await settle((await createBatch([responsesLine(0)])).id);
    expect(injected.errors?.data?.[0]?.code).toBe('injected_failure');
  });

  it('refuses bad create requests with 400 naming the field', async () => {
    const file = await upload([responsesLine(0)]);
    const create = (body: Record<string, unknown>) =>
      client.batches.create({ input_file_id: file.id, endpoint: '/v1/responses', completion_window: '24h', ...body } as never);
    await expect(create({ input_file_id: 'file-nope' })).rejects.toMatchObject({ status: 400, param: 'input_file_id' });
    await expect(create({ endpoint: '/v1/moderations' })).rejects.toMatchObject({ status: 400, param: 'endpoint' });
    await expect(create({ completion_window: '48h' })).rejects.toMatchObject({ status: 400, param: 'completion_window' });
    await expect(create({ metadata: { n: 1 } })).rejects.toMatchObject({ status: 400, param: 'metadata' });
    await expect(client.batches.retrieve('batch_nope')).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    expect((await client.batches.list()).data).toHaveLength(0);
  });

  it('lists, retrieves, serves and deletes files', async () => {
    const file = await upload([responsesLine(0)]);
    expect(file).toMatchObject({ object: 'file', purpose: 'batch', filename: expect.stringMatching(/\.jsonl$/) });
    expect(await (await client.files.content(file.id)).text()).toBe(JSON.stringify(responsesLine(0)) + '\n');
    expect((await client.files.list()).data.map((f) => f.id)).toEqual([file.id]);
    expect(await client.files.delete(file.id)).toEqual({ id: file.id, object: 'file', deleted: true });
    await expect(client.files.retrieve(file.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    const form = new FormData();
    form.append('file', new Blob(['{}\n']), 'x.jsonl');
    const noPurpose = await fetch(`${sim.baseURL}/files`, { method: 'POST', body: form });
    expect(noPurpose.status).toBe(400);
    expect(((await noPurpose.json()) as { error: { param: string } }).error.param).toBe('purpose');
    expect((await client.files.list()).data).toHaveLength(0);
  });

  it('runs many batches side by side and pages through them', async () => {
    await admin('PUT', '/sim/batch-config', { request_ms: 0 });
    const created = await Promise.all(
      Array.from({ length: 12 }, (_, b) => createBatch(Array.from({ length: 100 }, (_, i) => responsesLine(i + b)))),
    );
    const batches = await Promise.all(created.map((batch) => settle(batch.id)));
    expect(batches.every((batch) => batch.status === 'completed' && batch.request_counts!.completed === 100)).toBe(true);
    const listed: string[] = [];
    for await (const batch of client.batches.list({ limit: 5 })) listed.push(batch.id);
    expect(listed.sort()).toEqual(created.map((batch) => batch.id).sort());
  });
});
