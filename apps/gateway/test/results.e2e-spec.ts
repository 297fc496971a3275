import { parse } from 'csv-parse/sync';
import { resolve } from 'node:path';
import { ApiClient, pollUntil, YardstickStack } from '@yardstick/testing';

const ROOT = resolve(__dirname, '../../..');

/** Questions whose text is hard to export: quotes, newlines, commas, formulas, a leading tab, unicode. */
const ROWS = [
  { question: 'Capital of "France",\nplease?', answer: 'Paris', category: 'geo' },
  { question: '=cmd|\' /C calc\'!A0', answer: '+1 (formula)', category: 'injection' },
  { question: '@SUM(A1:A2) — 日本語 🚀', answer: '-2', category: 'injection' },
  { question: '\tTabbed "question" with ""double"" quotes', answer: 'Ünïcödé ✓', category: 'geo' },
];
const CATEGORIES = ['geo', 'injection', 'injection', 'geo'];
const FORMULA_START = /^[=+\-@\t\r]/;

const csvField = (value: string) => `"${value.replace(/"/g, '""')}"`;
const toCsv = (rows: typeof ROWS) => `question,answer,category\r\n${rows.map((r) => [r.question, r.answer, r.category].map(csvField).join(',')).join('\r\n')}\r\n`;

describe('run results end to end: aggregates, human scores, comparison, export', () => {
  let stack: YardstickStack;
  let api: ApiClient;

  beforeAll(async () => {
    stack = await new YardstickStack({
      root: ROOT,
      simEnv: { LLM_SIM_LATENCY_MS: '5', LLM_SIM_EMBED_LATENCY_MS: '2', LLM_SIM_ACCURACY: '{"sim-small":0.4,"sim-large":0.9}' },
    }).start();
    api = new ApiClient(stack.gatewayUrl, stack.apiKey);
    const key = await fetch(`${stack.simUrl}/sim/answer-key`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ items: ROWS, replace: true }),
    });
    expect(key.status).toBe(200);
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  async function runToEnd(runName: string, datasetId: string, model: string) {
    const config = await api.request('POST', '/configs', { name: `cfg ${runName}`, model, prompt_template: 'Q: {{question}}', params: { temperature: 0 } });
    expect(config.status).toBe(201);
    const started = await api.request('POST', '/evaluations', {
      run_name: runName, dataset_id: datasetId, config_id: config.body.id, config_version: 1, scorers: [{ name: 'exact_match', weight: 1 }],
    });
    expect(started.status).toBe(201);
    return pollUntil(`${runName} to finish`, async () => {
      const { body } = await api.request('GET', `/evaluations/${started.body.id}`);
      return body.status === 'running' ? undefined : body;
    }, { timeoutMs: 60_000, intervalMs: 200 });
  }

  const auth = () => ({ authorization: `Bearer ${stack.apiKey}` });
  const itemsOf = async (runId: string) => (await api.request('GET', `/evaluations/${runId}/items?limit=500`)).body.items as any[];

  it('aggregates, records human scores, compares two runs with hand-checked numbers, and exports csv and jsonl', async () => {
    const dataset = await api.uploadDataset('results', toCsv(ROWS), 2);
    expect(dataset.status).toBe(201);
    const base = await runToEnd('base small', dataset.body.id, 'sim-small');
    const candidate = await runToEnd('candidate large', dataset.body.id, 'sim-large');
    expect([base.status, candidate.status]).toEqual(['completed', 'completed']);
    const baseItems = await itemsOf(base.id);
    const candidateItems = await itemsOf(candidate.id);
    expect(baseItems).toHaveLength(8);

    // Aggregates, checked against the items.
    const totals = baseItems.map((i) => i.score as number);
    const mean = totals.reduce((a, b) => a + b, 0) / totals.length;
    expect(base.aggregates.total).toMatchObject({ count: 8, mean: expect.closeTo(mean, 9), pass_rate: expect.closeTo(mean, 9) });
    expect(base.aggregates.scorers.exact_match.count).toBe(8);
    // exact_match gives a verdict (passed = exact): stored on each item, and the pass rates are the share of passes.
    expect(baseItems.map((i) => i.verdicts)).toEqual(baseItems.map((i) => ({ exact_match: i.score === 1 })));
    expect(base.aggregates.scorers.exact_match.pass_rate).toBeCloseTo(baseItems.filter((i) => i.score === 1).length / 8, 9);
    expect(base.aggregates.by_category.map((c: any) => [c.category, c.count])).toEqual([['geo', 4], ['injection', 4]]);
    expect(base.aggregates.consistency.questions).toBe(4);
    expect(base.aggregates.consistency.per_question.every((q: any) => q.replicates === 2)).toBe(true);

    // Human scores: one per rater per item; a repeat replaces it.
    const item = baseItems[0];
    const scorePath = `/evaluations/${base.id}/items/${item.id}/scores`;
    expect((await api.request('POST', scorePath, { rater: 'alice', value: 0.25, comment: 'meh' })).status).toBe(201);
    const again = await api.request('POST', scorePath, { rater: 'alice', value: 0.75, comment: '=1+1, "quoted"\nline 2' });
    expect(again).toMatchObject({ status: 200, body: { rater: 'alice', value: 0.75, item_id: item.id } });
    expect((await api.request('POST', scorePath, { rater: 'bob', value: 1 })).status).toBe(201);
    const invalid = await api.request('POST', scorePath, { rater: 'carol', value: 1.5 });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.message).toContain('value');
    expect((await api.request('POST', scorePath, { value: 0.5 })).status).toBe(400);
    expect((await api.request('POST', `/evaluations/${base.id}/items/${candidateItems[0].id}/scores`, { rater: 'x', value: 0.5 })).status).toBe(404);
    expect((await api.request('POST', `/evaluations/${candidate.id.replace(/.$/, '0')}/items/${item.id}/scores`, { rater: 'x', value: 0.5 })).status).toBe(404);
    const listed = (await itemsOf(base.id))[0];
    expect(listed.human_scores).toEqual([
      { rater: 'alice', value: 0.75, comment: '=1+1, "quoted"\nline 2' }, { rater: 'bob', value: 1, comment: null },
    ]);
    const { body: withHuman } = await api.request('GET', `/evaluations/${base.id}`);
    expect(withHuman.aggregates.human).toMatchObject({ count: 2, items_rated: 1, mean: 0.875, min: 0.75, max: 1 });
    expect(withHuman.aggregates.total.count).toBe(8);

    // Comparison: pair by dataset row and replicate, compute the expected numbers here.
    const key = (i: any) => `${i.dataset_item_id}:${i.replicate}`;
    const baseByKey = new Map(baseItems.map((i) => [key(i), i.score as number]));
    const deltas = candidateItems.map((i) => i.score - baseByKey.get(key(i))!);
    const wins = deltas.filter((d) => d > 0.01).length;
    const losses = deltas.filter((d) => d < -0.01).length;
    const meanDelta = deltas.reduce((a, b) => a + b, 0) / deltas.length;
    const sd = Math.sqrt(deltas.reduce((a, d) => a + (d - meanDelta) ** 2, 0) / (deltas.length - 1));
    const compared = await api.request('GET', `/evaluations/compare?base=${base.id}&candidate=${candidate.id}&limit=500`);
    expect(compared.status).toBe(200);
    const { total } = compared.body;
    expect(total).toMatchObject({ pairs: 8, wins, losses, ties: 8 - wins - losses, mean_delta: expect.closeTo(meanDelta, 12) });
    expect(total.paired_t_test.degrees_of_freedom).toBe(7);
    // llm-sim answers deterministically: sim-large is right on some questions sim-small gets wrong, so the deltas vary.
    expect(sd).toBeGreaterThan(0);
    const se = sd / Math.sqrt(8);
    expect(total.paired_t_test.t).toBeCloseTo(meanDelta / se, 9);
    // 95% interval: mean ± t(0.975, df 7) · SE, with t(0.975, 7) = 2.364624 from the t table.
    expect(total.paired_t_test.ci95[0]).toBeCloseTo(meanDelta - 2.364624 * se, 5);
    expect(total.paired_t_test.ci95[1]).toBeCloseTo(meanDelta + 2.364624 * se, 5);
    expect(total.paired_t_test.p_value).toBeGreaterThan(0);
    expect(total.paired_t_test.p_value).toBeLessThan(1);
    expect(total.paired_bootstrap).toMatchObject({ resamples: 2000, seed: 1 });
    const listedDeltas = compared.body.items.items.map((i: any) => i.delta);
    expect(listedDeltas).toEqual([...listedDeltas].sort((a, b) => a - b)); // regressions first
    expect(compared.body.items.total).toBe(8);

    const other = await api.uploadDataset('other', toCsv(ROWS.slice(0, 1)), 1);
    const elsewhere = await runToEnd('other dataset', other.body.id, 'sim-large');
    const mismatch = await api.request('GET', `/evaluations/compare?base=${base.id}&candidate=${elsewhere.id}`);
    expect(mismatch.status).toBe(422);
    expect(mismatch.body.error.code).toBe('unprocessable');
    expect((await api.request('GET', `/evaluations/compare?base=${base.id}&candidate=${base.id.replace(/.$/, '0')}`)).status).toBe(404);
    expect((await api.request('GET', `/evaluations/compare?base=${base.id}`)).status).toBe(400);

    // Export, CSV: parsed back with csv-parse; formula cells come back with their leading quote, everything else byte for byte.
    const csvResponse = await fetch(`${stack.gatewayUrl}/evaluations/${base.id}/export?format=csv`, { headers: auth() });
    expect(csvResponse.status).toBe(200);
    expect(csvResponse.headers.get('content-type')).toContain('text/csv');
    const records: Array<Record<string, string>> = parse(await csvResponse.text(), { columns: true, bom: true });
    expect(records).toHaveLength(8);
    expect(Object.keys(records[0])).toEqual([
      'index', 'replicate', 'dataset_item_id', 'category', 'question', 'ground_truth', 'output', 'state', 'score', 'score_exact_match',
      'passed_exact_match', 'human_score_mean', 'human_scores', 'error_code', 'error_message',
    ]);
    const escaped = (text: string) => (FORMULA_START.test(text) ? `'${text}` : text);
    for (const [i, record] of records.entries()) {
      const row = ROWS[Math.floor(i / 2)];
      expect([record.question, record.ground_truth, record.category]).toEqual([escaped(row.question), escaped(row.answer), CATEGORIES[Math.floor(i / 2)]]);
      expect(Number(record.score)).toBe(baseItems[i].score);
      expect(record.output).toBe(escaped(baseItems[i].output));
      expect(record.passed_exact_match).toBe(String(baseItems[i].score === 1));
    }
    expect(records[0].human_score_mean).toBe('0.875');
    expect(JSON.parse(records[0].human_scores)[0].comment).toBe('=1+1, "quoted"\nline 2');

    // Export, JSON lines: exact text.
    const jsonlResponse = await fetch(`${stack.gatewayUrl}/evaluations/${base.id}/export?format=jsonl`, { headers: auth() });
    expect(jsonlResponse.headers.get('content-type')).toContain('application/x-ndjson');
    const lines = (await jsonlResponse.text()).split('\n');
    expect(lines.pop()).toBe('');
    const rows = lines.map((line) => JSON.parse(line));
    expect(rows.map((r) => [r.index, r.question, r.ground_truth, r.category])).toEqual(
      baseItems.map((i) => [i.index, i.question, i.ground_truth, i.category]));
    expect(rows.map((r) => r.question)).toEqual(ROWS.flatMap((r) => [r.question, r.question]));
    expect(rows[0].human_scores).toHaveLength(2);
    expect(rows.map((r) => r.verdicts)).toEqual(baseItems.map((i) => i.verdicts));

    // Export grouped per question: one row per dataset row with its 2 replicates' statistics and outputs, computed here from the items.
    const replicatesOf = (datasetItemId: string) => baseItems.filter((i) => i.dataset_item_id === datasetItemId);
    const statsOf = (values: number[]) => {
      const m = values.reduce((a, b) => a + b, 0) / values.length;
      return { mean: m, std: Math.sqrt(values.reduce((a, v) => a + (v - m) ** 2, 0) / values.length) };
    };
    const byQuestion = await fetch(`${stack.gatewayUrl}/evaluations/${base.id}/export?format=csv&group_by=question`, { headers: auth() });
    expect(byQuestion.status).toBe(200);
    expect(byQuestion.headers.get('content-disposition')).toContain('-by-question.csv');
    const grouped: Array<Record<string, string>> = parse(await byQuestion.text(), { columns: true, bom: true });
    expect(Object.keys(grouped[0])).toEqual([
      'index', 'dataset_item_id', 'category', 'question', 'ground_truth', 'replicates', 'scored', 'score_mean', 'score_std',
      'score_exact_match_mean', 'score_exact_match_std', 'outputs',
    ]);
    expect(grouped.map((g) => g.question)).toEqual(ROWS.map((r) => escaped(r.question)));
    for (const g of grouped) {
      const replicates = replicatesOf(g.dataset_item_id);
      const { mean: m, std } = statsOf(replicates.map((i) => i.score));
      expect([g.replicates, g.scored, g.index]).toEqual(['2', '2', String(replicates[0].index)]);
      expect(Number(g.score_mean)).toBeCloseTo(m, 12);
      expect(Number(g.score_std)).toBeCloseTo(std, 12);
      expect(Number(g.score_exact_match_mean)).toBeCloseTo(m, 12);
      expect(JSON.parse(g.outputs)).toEqual(replicates.map((i) => i.output));
    }
    const groupedJsonl = await fetch(`${stack.gatewayUrl}/evaluations/${base.id}/export?format=jsonl&group_by=question`, { headers: auth() });
    const questions = (await groupedJsonl.text()).trimEnd().split('\n').map((line) => JSON.parse(line));
    expect(questions.map((q) => [q.question, q.ground_truth, q.replicates])).toEqual(ROWS.map((r) => [r.question, r.answer, 2]));
    const firstStats = statsOf(replicatesOf(questions[0].dataset_item_id).map((i) => i.score));
    expect(questions[0].scores.exact_match).toEqual({ count: 2, mean: expect.closeTo(firstStats.mean, 12), std: expect.closeTo(firstStats.std, 12) });
    expect(questions[0].outputs).toEqual(replicatesOf(questions[0].dataset_item_id).map((i) => i.output));
    const badGrouping = await api.request('GET', `/evaluations/${base.id}/export?format=csv&group_by=rater`);
    expect(badGrouping.status).toBe(400);
    expect(badGrouping.body.error.message).toContain('group_by');

    expect((await api.request('GET', `/evaluations/${base.id}/export?format=xlsx`)).status).toBe(400);
    expect((await api.request('GET', `/evaluations/${base.id.replace(/.$/, '0')}/export?format=csv`)).status).toBe(404);
  }, 180_000);
});
