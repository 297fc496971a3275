import { existsSync, readFileSync } from 'node:fs';
import { createServer, IncomingMessage, Server } from 'node:http';
import { join, resolve } from 'node:path';
import { pollUntil, YardstickStack } from '@yardstick/testing';
import { ApiClient } from '@yardstick/testing';

const ROOT = resolve(__dirname, '../../..');

/** 56 rows whose text exercises CSV quoting, embedded newlines, commas, emoji and CJK. */
function awkwardRows(): Array<{ question: string; answer: string; category: string }> {
  return Array.from({ length: 56 }, (_, i) => ({
    question: `Question ${i}: what does "item ${i}" say,\nexactly? 🚀 第${i}题`,
    answer: `Item ${i} says "${['alpha', 'beta', 'gamma', 'delta'][i % 4]} ${i}", with commas, and 日本語 ${i * 7} ✓`,
    category: ['quotes', 'unicode', 'numbers'][i % 3],
  }));
}

const csvField = (value: string) => `"${value.replace(/"/g, '""')}"`;
const toCsv = (rows: ReturnType<typeof awkwardRows>) =>
  `\uFEFFQuestion,ANSWER,category\r\n${rows.map((r) => [r.question, r.answer, r.category].map(csvField).join(',')).join('\r\n')}\r\n`;

describe('fast evaluation end to end (five services as processes, llm-sim, real Postgres/NATS/Redis)', () => {
  let stack: YardstickStack;
  let api: ApiClient;
  let receiver: Server;
  const received: Array<{ headers: IncomingMessage['headers']; body: any }> = [];
  let receiverUrl = '';
  const rows = awkwardRows();

  beforeAll(async () => {
    receiver = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        received.push({ headers: request.headers, body: JSON.parse(body) });
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((done) => receiver.listen(0, '127.0.0.1', done));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;
    stack = await new YardstickStack({
      root: ROOT,
      simEnv: { LLM_SIM_LATENCY_MS: '20', LLM_SIM_EMBED_LATENCY_MS: '5', LLM_SIM_REQUEST_LOG_LIMIT: '100000' },
      serviceEnv: { gateway: { FAST_MODE_MAX_ITEMS: '100' } },
    }).start();
    api = new ApiClient(stack.gatewayUrl, stack.apiKey);
    const key = await fetch(`${stack.simUrl}/sim/answer-key`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ items: rows, replace: true }),
    });
    expect(key.status).toBe(200);
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
    await new Promise((done) => receiver?.close(done));
  }, 60_000);

  it('runs a fast evaluation of every item once, scores right answers above wrong ones, and notifies the webhook', async () => {
    const hook = await api.request('POST', '/webhooks', { url: receiverUrl, events: ['eval.run.completed'] });
    expect(hook.status).toBe(201);

    const dataset = await api.uploadDataset('awkward', toCsv(rows));
    expect(dataset.status).toBe(201);
    expect(dataset.body).toMatchObject({ original_items_count: 56, total_items_count: 56, eligible_for_fast: true });

    const config = await api.request('POST', '/configs', {
      name: 'sim-small plain', model: 'sim-small', instructions: 'Answer exactly.', prompt_template: 'Q: {{question}}',
      params: { temperature: 0 },
    });
    expect(config.status).toBe(201);

    const created = await api.request('POST', '/evaluations', {
      run_name: 'e2e run', dataset_id: dataset.body.id, config_id: config.body.id, config_version: 1, run_mode: 'fast',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ run_name: 'e2e run', run_mode: 'fast', items_total: 56 });

    const run = await pollUntil('the run to finish', async () => {
      const { body } = await api.request('GET', `/evaluations/${created.body.id}`);
      return body.status === 'running' ? undefined : body;
    }, { timeoutMs: 90_000, intervalMs: 250 });
    expect(run.status).toBe('completed');
    expect(run.progress.scoring.succeeded).toBe(56);

    const { body: page } = await api.request('GET', `/evaluations/${run.id}/items?limit=500`);
    expect(page.total).toBe(56);
    expect(page.items).toHaveLength(56);
    for (const item of page.items) {
      expect(item.output).toEqual(expect.any(String));
      expect(item.scores).toEqual({ cosine_similarity: item.score });
      expect(item.score).toBeGreaterThanOrEqual(0);
      expect(item.score).toBeLessThanOrEqual(1);
      expect(item.stages.map((s: any) => s.attempt)).toEqual([1, 1, 1]);
    }
    // The dataset's awkward text came back byte for byte.
    expect(page.items.map((i: any) => [i.question, i.ground_truth, i.category])).toEqual(rows.map((r) => [r.question, r.answer, r.category]));

    const correct = page.items.filter((i: any) => i.output === i.ground_truth).map((i: any) => i.score);
    const wrong = page.items.filter((i: any) => i.output !== i.ground_truth).map((i: any) => i.score);
    expect(correct.length).toBeGreaterThan(5);
    expect(wrong.length).toBeGreaterThan(5);
    expect(Math.min(...correct)).toBeGreaterThan(Math.max(...wrong));

    const scores: number[] = page.items.map((i: any) => i.score);
    const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
    const std = Math.sqrt(scores.reduce((a, b) => a + (b - mean) ** 2, 0) / scores.length);
    expect(run.score.count).toBe(56);
    expect(run.score.mean).toBeCloseTo(mean, 9);
    expect(run.score.std).toBeCloseTo(std, 9);
    const itemCost = page.items.reduce((sum: number, i: any) => sum + i.cost_usd, 0);
    expect(run.cost.total_cost_usd).toBeCloseTo(itemCost, 9);
    expect(run.cost.responses).toBeGreaterThan(0);
    expect(run.usage.total_tokens).toBe(page.items.reduce((sum: number, i: any) => sum + i.usage.total_tokens, 0));

    const stats: any = await (await fetch(`${stack.simUrl}/sim/stats`)).json();
    expect(stats.by_endpoint.responses).toBe(56);
    // No responses request was ever repeated. (Embedding requests of different items may coincide: two wrong answers
    // can be the same text, and the per-text embedding cache then sends the same request twice; that is not a repeat.)
    const log: any = await (await fetch(`${stack.simUrl}/sim/requests`)).json();
    const responseFingerprints = log.requests.filter((r: any) => r.endpoint === 'responses').map((r: any) => r.fingerprint);
    expect(responseFingerprints).toHaveLength(56);
    expect(new Set(responseFingerprints).size).toBe(56);

    const delivery = await pollUntil('the webhook delivery', async () => received.find((r) => r.body?.data?.run_id === run.id));
    expect(delivery.body.type).toBe('eval.run.completed');
    expect(delivery.body.data).toMatchObject({ status: 'completed', items_total: 56 });

    const unit = join(stack.blobRoot, `runs/${run.id}/scoring.jsonl`);
    await pollUntil('the scoring result unit in the blob store', async () => (existsSync(unit) ? true : undefined));
    expect(readFileSync(unit, 'utf8').trim().split('\n')).toHaveLength(56);

    const runToEnd = async (runName: string, cacheMode: string) => {
      const started = await api.request('POST', '/evaluations', {
        run_name: runName, dataset_id: dataset.body.id, config_id: config.body.id, config_version: 1, cache_mode: cacheMode,
      });
      expect(started.status).toBe(201);
      return pollUntil(`${runName} to finish`, async () => {
        const { body } = await api.request('GET', `/evaluations/${started.body.id}`);
        return body.status === 'running' ? undefined : body;
      }, { timeoutMs: 90_000, intervalMs: 250 });
    };

    // Without the cache, a second run over the same dataset still reuses the ground-truth embeddings: only outputs are embedded.
    const uncached = await runToEnd('e2e run uncached', 'off');
    expect(uncached.status).toBe('completed');
    expect(uncached.score.mean).toBeCloseTo(run.score.mean, 9);
    expect(uncached.cost.embeddings).toBeGreaterThan(0);
    expect(uncached.cost.embeddings).toBeLessThan(run.cost.embeddings * 0.75);
    expect(uncached.cache.hits).toBe(0);

    // With the cache, the same config again calls no provider and costs nothing; the saving is shown.
    const callsBefore: any = await (await fetch(`${stack.simUrl}/sim/stats`)).json();
    const cached = await runToEnd('e2e run cached', 'read_write');
    const callsAfter: any = await (await fetch(`${stack.simUrl}/sim/stats`)).json();
    expect(cached).toMatchObject({ status: 'completed', cost: { total_cost_usd: 0 } });
    expect(cached.score.mean).toBeCloseTo(run.score.mean, 9);
    expect(cached.cache.hits).toBe(56 * 2);
    expect(cached.cache.saved_cost_usd).toBeGreaterThan(0);
    expect(callsAfter.total - callsBefore.total).toBe(0);

    const duplicate = await api.request('POST', '/evaluations', {
      run_name: 'e2e run', dataset_id: dataset.body.id, config_id: config.body.id, config_version: 1,
    });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error.code).toBe('run_name_conflict');
  }, 150_000);

  it('answers bad input with a 4xx that names the problem and stores nothing', async () => {
    const before = (await api.request('GET', '/datasets')).body.total;
    const headerOnly = await api.uploadDataset('header only', 'question,answer\n');
    expect(headerOnly.status).toBe(400);
    expect(headerOnly.body.error.details.reason).toBe('header_only');
    const missing = await api.uploadDataset('missing', 'question,category\nq,c\n');
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toMatch(/answer/);
    const unbalanced = await api.uploadDataset('quotes', 'question,answer\n"open,x\n');
    expect(unbalanced.status).toBe(400);
    const binary = await api.uploadDataset('binary', Buffer.from([0x71, 0x2c, 0x61, 0x0a, 0x00, 0x01, 0x02]));
    expect(binary.status).toBe(400);
    expect((await api.request('GET', '/datasets')).body.total).toBe(before);

    const invalid = await api.request('POST', '/evaluations', { run_name: '', dataset_id: 'nope' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.details.problems.join(' ')).toMatch(/dataset_id/);
    const unknown = await api.request('POST', '/evaluations', {
      run_name: 'x', dataset_id: '00000000-0000-4000-8000-000000000999', config_id: '00000000-0000-4000-8000-000000000999', config_version: 1,
    });
    expect(unknown.status).toBe(404);

    const big = await api.uploadDataset('too big for fast', toCsv(rows), 2);
    expect(big.body).toMatchObject({ total_items_count: 112, eligible_for_fast: false });
    const eligible = await api.request('GET', '/datasets?eligible_for=fast');
    expect(eligible.body.items.every((d: any) => d.eligible_for_fast)).toBe(true);
    expect(eligible.body.total).toBe((await api.request('GET', '/datasets')).body.total - 1);
    const config = await api.request('POST', '/configs', { name: 'c', model: 'sim-large', prompt_template: '{{question}}' });
    const tooBig = await api.request('POST', '/evaluations', {
      run_name: 'too big', dataset_id: big.body.id, config_id: config.body.id, config_version: 1, run_mode: 'fast',
    });
    expect(tooBig.status).toBe(422);
    expect(tooBig.body.error.message).toContain('100');
    const badTemplate = await api.request('POST', '/configs', { name: 'c', model: 'sim-large', prompt_template: '{{answer}}' });
    expect(badTemplate.status).toBe(400);
  }, 60_000);

  it('pauses, resumes, cancels and retries through the API, with 409 for transitions the status forbids', async () => {
    const dataset = await api.uploadDataset('control', toCsv(rows));
    const config = await api.request('POST', '/configs', { name: 'control', model: 'sim-large', prompt_template: 'Q: {{question}}' });
    await fetch(`${stack.simUrl}/sim/config`, {
      method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ latency: { responses_ms: 400 } }),
    });
    try {
      const created = await api.request('POST', '/evaluations', {
        run_name: 'control run', dataset_id: dataset.body.id, config_id: config.body.id, config_version: 1,
      });
      const paused = await api.request('POST', `/evaluations/${created.body.id}/pause`);
      expect(paused.status).toBe(200);
      expect(paused.body).toMatchObject({ status: 'paused', paused_reason: 'paused by a user' });
      expect((await api.request('POST', `/evaluations/${created.body.id}/pause`)).status).toBe(409);
      const waiting = await pollUntil('work under way to settle while paused', async () => {
        const { body } = await api.request('GET', `/evaluations/${created.body.id}`);
        return body.progress.responses.in_flight === 0 && body.progress.embeddings.in_flight === 0 && body.progress.scoring.in_flight === 0
          ? body : undefined;
      }, { timeoutMs: 20_000 });
      expect(waiting.status).toBe('paused');

      const resumed = await api.request('POST', `/evaluations/${created.body.id}/resume`);
      expect(resumed.body.status).toBe('running');
      const cancelled = await api.request('POST', `/evaluations/${created.body.id}/cancel`);
      expect(cancelled.status).toBe(200);
      expect(cancelled.body.status).toBe('cancelled');
      const conflict = await api.request('POST', `/evaluations/${created.body.id}/resume`);
      expect(conflict.status).toBe(409);
      expect(conflict.body.error.details).toEqual({ status: 'cancelled' });

      await fetch(`${stack.simUrl}/sim/config`, {
        method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ latency: { responses_ms: 20 } }),
      });
      const retried = await api.request('POST', `/evaluations/${created.body.id}/retry`);
      expect(retried.body).toMatchObject({ status: 'running', attempt: 2 });
      const done = await pollUntil('the retried run to finish', async () => {
        const { body } = await api.request('GET', `/evaluations/${created.body.id}`);
        return body.status === 'running' ? undefined : body;
      }, { timeoutMs: 60_000, intervalMs: 250 });
      expect(done).toMatchObject({ status: 'completed', items_succeeded: 56 });
      const { body: page } = await api.request('GET', `/evaluations/${created.body.id}/items?limit=500`);
      expect(page.items.every((i: any) => i.state === 'succeeded' && i.stages.length === 3)).toBe(true);
      expect((await api.request('POST', `/evaluations/${created.body.id}/retry`)).status).toBe(409);
    } finally {
      await fetch(`${stack.simUrl}/sim/config`, {
        method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ latency: { responses_ms: 20 } }),
      });
    }
  }, 120_000);

  it('judges with several weighted scorers, and refuses a bad scorer config before any work', async () => {
    const dataset = await api.uploadDataset('scorers', toCsv(rows.slice(0, 12)));
    const config = await api.request('POST', '/configs', { name: 'scored', model: 'sim-large', prompt_template: 'Q: {{question}}' });
    const bad = await api.request('POST', '/evaluations', {
      run_name: 'bad scorers', dataset_id: dataset.body.id, config_id: config.body.id, config_version: 1,
      scorers: [{ name: 'cosine_similarity' }, { name: 'regex', config: { pattern: '(' } }],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.problems.join()).toContain('scorers[1].config.pattern');
    expect((await api.request('GET', '/evaluations?limit=500')).body.items.some((r: any) => r.run_name === 'bad scorers')).toBe(false);

    const created = await api.request('POST', '/evaluations', {
      run_name: 'weighted scorers', dataset_id: dataset.body.id, config_id: config.body.id, config_version: 1,
      scorers: [
        { name: 'cosine_similarity', weight: 1 },
        { name: 'exact_match', weight: 2, config: { collapse_whitespace: true } },
        { name: 'contains', weight: 1, config: { substring: 'Item' } },
      ],
    });
    expect(created.status).toBe(201);
    await pollUntil('the scored run', async () => {
      const { body } = await api.request('GET', `/evaluations/${created.body.id}`);
      return body.status === 'completed' ? body : undefined;
    }, { timeoutMs: 60_000, intervalMs: 250 });
    const { body: page } = await api.request('GET', `/evaluations/${created.body.id}/items?limit=50`);
    for (const item of page.items) {
      expect(Object.keys(item.scores).sort()).toEqual(['contains', 'cosine_similarity', 'exact_match']);
      const exact = item.output === item.ground_truth ? 1 : 0;
      expect(item.scores.exact_match).toBe(exact);
      expect(item.score).toBeCloseTo((item.scores.cosine_similarity + 2 * exact + item.scores.contains) / 4, 9);
    }
  }, 90_000);
});
