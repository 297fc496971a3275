import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiClient } from '@yardstick/testing';
import { GatewayHarness } from './gateway-harness';

describe('gateway catalog API (real Postgres and NATS, no other service running)', () => {
  const gateway = new GatewayHarness();
  const blobRoot = gateway.blobRoot;
  let api: ApiClient;

  beforeAll(async () => {
    await gateway.start({ DATASET_MAX_BYTES: '4096', DATASET_MAX_ROWS: '50', FAST_MODE_MAX_ITEMS: '6' });
    api = await gateway.client();
  }, 60_000);

  afterAll(() => gateway.stop());

  it('stores a dataset byte for byte, the original file included, and expands replicates', async () => {
    const csv = '\uFEFFQUESTION,Answer\r\n"Say ""hi""\nplease",👋 こんにちは, friend\r\n';
    const { status, body } = await api.uploadDataset('round trip', csv.replace('👋 こんにちは, friend', '"👋 こんにちは, friend"'), 3);
    expect(status).toBe(201);
    expect(body).toMatchObject({ original_items_count: 1, total_items_count: 3, duplication_factor: 3, eligible_for_fast: true });
    const lines = readFileSync(join(blobRoot, `datasets/${body.id}/items.jsonl`), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.index, l.replicate, l.question, l.answer])).toEqual([1, 2, 3].map((r) => [r - 1, r, 'Say "hi"\nplease', '👋 こんにちは, friend']));
    expect(readFileSync(join(blobRoot, `datasets/${body.id}/original.csv`), 'utf8')).toContain('こんにちは');
  });

  it.each([
    ['an empty file', '', 'empty_file'],
    ['a header without rows', 'question,answer\n', 'header_only'],
    ['a missing answer column', 'question,category\nq,c\n', 'missing_column'],
    ['an unclosed quote', 'question,answer\n"q,a\n', 'unbalanced_quotes'],
    ['a row with too many fields', 'question,answer\nq,a,extra\n', 'wrong_field_count'],
    ['an empty answer', 'question,answer\nq, \n', 'empty_value'],
  ])('rejects %s with 400 naming the problem, storing nothing', async (_, csv, reason) => {
    const before = (await api.request('GET', '/datasets')).body.total;
    const { status, body } = await api.uploadDataset('bad', csv);
    expect(status).toBe(400);
    expect(body.error).toMatchObject({ code: 'invalid_dataset', details: { reason } });
    expect((await api.request('GET', '/datasets')).body.total).toBe(before);
  });

  it('rejects invalid UTF-8, oversized files and missing fields', async () => {
    const latin1 = Buffer.concat([Buffer.from('question,answer\ncaf'), Buffer.from([0xe9]), Buffer.from(',x\n')]);
    expect((await api.uploadDataset('latin1', latin1)).body.error.details.reason).toBe('not_utf8');
    const big = await api.uploadDataset('big', `question,answer\n${'q,a\n'.repeat(2000)}`);
    expect(big.status).toBe(413);
    expect(big.body.error.message).toContain('4096');
    const noFile = await api.request('POST', '/datasets', Object.assign(new FormData(), {}));
    expect(noFile.status).toBe(400);
    const badFactor = await api.uploadDataset('x', 'question,answer\nq,a\n', 9);
    expect(badFactor.status).toBe(400);
    expect(badFactor.body.error.message).toContain('duplication_factor');
  });

  it('filters eligible datasets in the query, before pagination', async () => {
    for (const factor of [5, 1, 5, 1]) await api.uploadDataset(`f${factor}`, 'question,answer\nq1,a1\nq2,a2\n', factor);
    const all = await api.request('GET', '/datasets?limit=100');
    const eligible = all.body.items.filter((d: any) => d.eligible_for_fast);
    const page = await api.request('GET', '/datasets?eligible_for=fast&limit=1&offset=1');
    expect(page.body.total).toBe(eligible.length);
    expect(page.body.items).toHaveLength(1);
    expect(page.body.items[0].id).toBe(eligible[1].id);
    expect((await api.request('GET', '/datasets?eligible_for=slow')).status).toBe(400);
  });

  it('numbers concurrent config versions without gaps or duplicates', async () => {
    const created = await api.request('POST', '/configs', { name: 'c', model: 'm', prompt_template: '{{question}}' });
    expect(created.body.version).toBe(1);
    const versions = await Promise.all([1, 2, 3, 4].map(() =>
      api.request('POST', `/configs/${created.body.id}/versions`, { model: 'm2', prompt_template: 'Q: {{ question }}', params: { temperature: 0.2 } })));
    expect(versions.map((v) => v.body.version).sort()).toEqual([2, 3, 4, 5]);
    expect((await api.request('GET', `/configs/${created.body.id}/versions/3`)).body.params.temperature).toBe(0.2);
    expect((await api.request('GET', `/configs/${created.body.id}/versions/9`)).status).toBe(404);
  });

  it('answers malformed requests with 4xx JSON errors, never 500', async () => {
    const unknownRoute = await api.request('GET', '/nope');
    expect(unknownRoute.status).toBe(404);
    expect(unknownRoute.body.error.code).toBe('not_found');
    expect((await api.request('GET', '/datasets/not-a-uuid')).status).toBe(400);
    expect((await api.request('GET', '/datasets/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    const response = await fetch(`${api.baseUrl}/configs`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${api.apiKey}` }, body: '{"name":' });
    expect(response.status).toBe(400);
    const extra = await api.request('POST', '/configs', { name: 'c', model: 'm', prompt_template: '{{question}}', surprise: 1 });
    expect(extra.status).toBe(400);
    expect(extra.body.error.details.problems.join()).toContain('surprise');
    expect((await api.request('GET', '/datasets?limit=100000')).status).toBe(400);
  });

  it('says the orchestrator is unavailable (503) rather than failing when no orchestrator answers', async () => {
    const dataset = await api.uploadDataset('tiny', 'question,answer\nq,a\n');
    const config = await api.request('POST', '/configs', { name: 'c', model: 'm', prompt_template: '{{question}}' });
    const run = await api.request('POST', '/evaluations', { run_name: 'r', dataset_id: dataset.body.id, config_id: config.body.id, config_version: 1 });
    expect(run.status).toBe(503);
    const tooBig = await api.uploadDataset('seven', `question,answer\n${'q,a\n'.repeat(7)}`);
    const refused = await api.request('POST', '/evaluations', { run_name: 'r', dataset_id: tooBig.body.id, config_id: config.body.id, config_version: 1 });
    expect(refused.status).toBe(422);
    expect(refused.body.error.message).toContain('6');
  });
});
