import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { ApiClient } from '@yardstick/testing';
import { GatewayHarness } from './gateway-harness';

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

describe('dataset ingestion: CSV and JSONL, streamed and all-or-nothing (real Postgres, in-process gateway)', () => {
  const gateway = new GatewayHarness();
  const db = new Client({ connectionString: DATABASE_URL });
  let api: ApiClient;

  beforeAll(async () => {
    await gateway.start({ DATASET_MAX_ROWS: '25000' });
    api = await gateway.client();
    await db.connect();
  }, 60_000);

  afterAll(async () => {
    await db.end();
    await gateway.stop();
  });

  const count = async (table: string) => Number((await db.query(`SELECT count(*) FROM "${gateway.id}".${table}`)).rows[0].count);
  const blobDatasets = () => (existsSync(join(gateway.blobRoot, 'datasets')) ? readdirSync(join(gateway.blobRoot, 'datasets')).length : 0);
  const itemsBlob = (id: string) => readFileSync(join(gateway.blobRoot, `datasets/${id}/items.jsonl`), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const stored = async () => ({ datasets: await count('datasets'), items: await count('dataset_items'), blobs: blobDatasets() });

  it('stores a .jsonl upload: strings kept exactly, numbers as text, extra fields ignored, replicates expanded', async () => {
    const jsonl = '\uFEFF{"question":"Say \\"hi\\",\\nplease","answer":"👋 こんにちは","category":"greet","source":"x"}\r\n\n' +
      '{"question":"2+2?","answer":4}\n';
    const { status, body } = await api.uploadDataset('jsonl', jsonl, 2, 'items.jsonl');
    expect(status).toBe(201);
    expect(body).toMatchObject({ format: 'jsonl', original_items_count: 2, total_items_count: 4, original_filename: 'items.jsonl' });
    expect(itemsBlob(body.id).map((l) => [l.index, l.replicate, l.question, l.answer, l.category])).toEqual([
      [0, 1, 'Say "hi",\nplease', '👋 こんにちは', 'greet'], [1, 2, 'Say "hi",\nplease', '👋 こんにちは', 'greet'],
      [2, 1, '2+2?', '4', null], [3, 2, '2+2?', '4', null],
    ]);
    expect(readFileSync(join(gateway.blobRoot, `datasets/${body.id}/original.jsonl`), 'utf8')).toBe(jsonl);
  });

  it('reads a file sent as application/x-ndjson as JSONL whatever its name', async () => {
    const form = new FormData();
    form.set('name', 'ndjson');
    form.set('file', new Blob(['{"question":"q","answer":"a"}\n'], { type: 'application/x-ndjson' }), 'export.txt');
    const { status, body } = await api.request('POST', '/datasets', form);
    expect(status).toBe(201);
    expect(body).toMatchObject({ format: 'jsonl', original_items_count: 1 });
  });

  it('rejects a bad JSONL line with 400 naming the line and problem, storing nothing', async () => {
    const before = await stored();
    const good = '{"question":"q","answer":"a"}\n';
    const { status, body } = await api.uploadDataset('bad', `${good.repeat(3)}{"question":"q","answer":}\n${good}`, 1, 'bad.jsonl');
    expect(status).toBe(400);
    expect(body.error).toMatchObject({ code: 'invalid_dataset', details: { reason: 'invalid_json', line: 4, row: 4 } });
    expect(body.error.message).toContain('Line 4 is not valid JSON');
    const missing = await api.uploadDataset('bad', `${good}{"question":"q"}\n`, 1, 'bad.jsonl');
    expect(missing.body.error).toMatchObject({ details: { reason: 'invalid_item', line: 2 } });
    expect(missing.body.error.message).toContain('"answer"');
    expect(await stored()).toEqual(before);
  });

  it('stores nothing when a file fails after several batches were inserted', async () => {
    const before = await stored();
    const rows = Array.from({ length: 12_000 }, (_, i) => `q${i},a${i}`).join('\n');
    const { status, body } = await api.uploadDataset('half', `question,answer\n${rows}\nq,a,extra\n`);
    expect(status).toBe(400);
    expect(body.error.details).toMatchObject({ reason: 'wrong_field_count', row: 12_001 });
    const jsonl = Array.from({ length: 12_000 }, (_, i) => JSON.stringify({ question: `q${i}`, answer: `a${i}` })).join('\n');
    const bad = await api.uploadDataset('half', `${jsonl}\n{"question":"q","answer":""}\n`, 1, 'half.jsonl');
    expect(bad.body.error.details).toMatchObject({ reason: 'empty_value', line: 12_001 });
    expect(await stored()).toEqual(before);
  });

  it('ingests a 20,000-row CSV with awkward content, every row in Postgres and every replicate in the items blob', async () => {
    const cell = (v: string) => `"${v.replaceAll('"', '""')}"`;
    const rows = Array.from({ length: 20_000 }, (_, i) => `${cell(`Q${i}: "quoted", multi\r\nline 🚀 第${i}题`)},${cell(`A${i}`)},c${i % 3}`);
    const { status, body } = await api.uploadDataset('big', `\uFEFFquestion,answer,category\r\n${rows.join('\r\n')}\r\n`, 2);
    expect(status).toBe(201);
    expect(body).toMatchObject({ format: 'csv', original_items_count: 20_000, total_items_count: 40_000 });
    const items = await db.query(`SELECT count(*)::int AS n, max(row_number) AS last FROM "${gateway.id}".dataset_items WHERE dataset_id = $1`, [body.id]);
    expect(items.rows[0]).toEqual({ n: 20_000, last: 20_000 });
    const lines = itemsBlob(body.id);
    expect(lines).toHaveLength(40_000);
    expect(lines[39_999]).toMatchObject({ index: 39_999, replicate: 2, question: 'Q19999: "quoted", multi\r\nline 🚀 第19999题', category: 'c1' });
  }, 60_000);
});
