import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { ServiceErrorCode, ServiceException } from '@yardstick/contracts';
import { dataSourceOptions, runMigrations } from '@yardstick/persistence';
import { loadEnvironment } from '@yardstick/service-runtime';
import { summarizeScores } from '@yardstick/statistics';
import { uniqueTestId } from '@yardstick/testing';
import { OrchestratorEnv } from '../src/config/orchestrator.env';
import { orchestratorPersistence } from '../src/orchestrator.persistence';
import { HumanScoresRepository } from '../src/results/human-scores.repository';
import { RunComparisonRepository } from '../src/results/run-comparison.repository';
import { RunComparisonService } from '../src/results/run-comparison.service';
import { EXPORT_PAGE_MAX_BYTES, RunExportRepository } from '../src/results/run-export.repository';
import { RunQuestionExportRepository } from '../src/results/run-question-export.repository';
import { RunResultsAggregatesRepository } from '../src/results/run-results-aggregates.repository';

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const PROJECT = '00000000-0000-4000-8000-0000000000bb';
const DATASET = '00000000-0000-4000-8000-00000000d001';
const QUESTIONS = ['00000000-0000-4000-8000-000000000a01', '00000000-0000-4000-8000-000000000a02', '00000000-0000-4000-8000-000000000a03'];

/** Rows in dataset order: question × replicate (duplication factor 2); null = the item failed. */
const ROWS = [
  { q: 0, replicate: 1, category: 'geo' }, { q: 0, replicate: 2, category: 'geo' },
  { q: 1, replicate: 1, category: 'geo' }, { q: 1, replicate: 2, category: 'geo' },
  { q: 2, replicate: 1, category: null }, { q: 2, replicate: 2, category: null },
];
const BASE_TOTALS = [0.2, 0.4, 0.9, 1.0, 0.5, null];
const CANDIDATE_TOTALS = [0.6, 0.4, 0.7, 1.0, 0.9, 0.3];

describe('run results SQL: aggregates, human scores, comparison, export (real Postgres)', () => {
  const schema = uniqueTestId('res');
  let dataSource: DataSource;
  let aggregates: RunResultsAggregatesRepository;
  let humans: HumanScoresRepository;
  let comparison: RunComparisonService;
  let exports: RunExportRepository;
  let questionExports: RunQuestionExportRepository;
  let base: { runId: string; itemIds: string[] };
  let candidate: { runId: string; itemIds: string[] };

  beforeAll(async () => {
    const env = loadEnvironment(OrchestratorEnv, { DATABASE_URL, DB_SCHEMA: schema, BUS_PREFIX: schema, PORT: '0' });
    await runMigrations(orchestratorPersistence(env));
    dataSource = await new DataSource(dataSourceOptions(orchestratorPersistence(env))).initialize();
    aggregates = new RunResultsAggregatesRepository(dataSource);
    humans = new HumanScoresRepository(dataSource);
    comparison = new RunComparisonService(new RunComparisonRepository(dataSource));
    exports = new RunExportRepository(dataSource);
    questionExports = new RunQuestionExportRepository(dataSource);
    base = await insertRun('base', [{ name: 'exact_match', weight: 1 }, { name: 'contains', weight: 1 }], BASE_TOTALS,
      (total) => ({ exact_match: total, contains: 1 }), { verdicts: (total) => ({ exact_match: total >= 0.9 }) });
    candidate = await insertRun('candidate', [{ name: 'exact_match', weight: 1 }], CANDIDATE_TOTALS, (total) => ({ exact_match: total }));
  }, 60_000);

  afterAll(async () => {
    await dataSource?.destroy();
    const client = new Client({ connectionString: DATABASE_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
  });

  async function insertRun(name: string, scorers: object[], totals: Array<number | null>, scores: (total: number) => object,
    options: { datasetId?: string; status?: string; questions?: string[]; verdicts?: (total: number) => object; rows?: number[] } = {}) {
    const runId = randomUUID();
    await dataSource.query(
      `INSERT INTO evaluation_runs (id, project_id, run_name, run_mode, status, dataset_id, config_id, config_version, config, scorers,
                                    items_total, failure_threshold)
       VALUES ($1, $2, $3, 'fast', $4, $5, $6, 1, '{}', $7, $8, 0.5)`,
      [runId, PROJECT, name, options.status ?? 'completed', options.datasetId ?? DATASET, randomUUID(), JSON.stringify(scorers), totals.length],
    );
    const itemIds: string[] = [];
    for (const [index, total] of totals.entries()) {
      const row = ROWS[options.rows?.[index] ?? index % ROWS.length];
      const itemId = randomUUID();
      itemIds.push(itemId);
      await dataSource.query(
        `INSERT INTO run_items (id, run_id, project_id, item_index, dataset_item_id, replicate, category, question, ground_truth, state, output,
                                score, scores, error_code, verdicts)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
        [itemId, runId, PROJECT, index, QUESTIONS[row.q], row.replicate, row.category, options.questions?.[index] ?? `question ${row.q}`,
          `answer ${row.q}`, total === null ? 'failed' : 'succeeded', total === null ? null : `output ${index}`, total,
          JSON.stringify(total === null ? {} : scores(total)), total === null ? 'provider_error' : null,
          JSON.stringify(total === null || !options.verdicts ? {} : options.verdicts(total))],
      );
    }
    return { runId, itemIds };
  }

  it('aggregates the totals, each scorer and each category in SQL, as the statistics library does', async () => {
    const view = await aggregates.aggregates(PROJECT, base.runId);
    const scored = [0.2, 0.4, 0.9, 1.0, 0.5];
    const reference = summarizeScores(scored);
    // p95 by hand: sorted 0.2 0.4 0.5 0.9 1 → rank 3.8 → 0.9 + 0.8 × 0.1 = 0.98. Pass rate from the verdicts, not a threshold:
    // exact_match passed only 0.9 and 1 (0.5 would pass a 0.5 threshold) → 2/5; contains gave no verdict, so it does not count.
    expect(view.total).toEqual({
      count: 5, mean: expect.closeTo(0.6, 12), std: expect.closeTo(reference.std!, 12), min: 0.2, max: 1,
      p50: expect.closeTo(0.5, 12), p95: expect.closeTo(0.98, 12), passRate: expect.closeTo(0.4, 12),
    });
    expect(view.passThreshold).toBe(0.5);
    expect(Object.keys(view.scorers)).toEqual(['contains', 'exact_match']);
    expect(view.scorers.exact_match.mean).toBeCloseTo(0.6, 12);
    expect(view.scorers.exact_match.passRate).toBeCloseTo(0.4, 12);
    expect(view.scorers.contains).toMatchObject({ count: 5, mean: 1, std: 0, passRate: null });
    expect(view.byCategory).toEqual([
      expect.objectContaining({ category: 'geo', count: 4, mean: expect.closeTo(0.625, 12), p50: expect.closeTo(0.65, 12), passRate: 0.5 }),
      expect.objectContaining({ category: null, count: 1, mean: 0.5, std: 0, passRate: 0 }),
    ]);
    // A run whose scorers gave no verdict has scores but no pass rate.
    const unjudged = await aggregates.aggregates(PROJECT, candidate.runId);
    expect(unjudged.total).toMatchObject({ count: 6, passRate: null });
    expect(unjudged.scorers.exact_match).toMatchObject({ count: 6, passRate: null });
  });

  it('measures consistency across replicates of each question, least consistent first', async () => {
    const { consistency } = await aggregates.aggregates(PROJECT, base.runId);
    // q0: 0.2, 0.4 → std 0.1; q1: 0.9, 1 → std 0.05; q2: 0.5 (its other replicate failed) → std 0
    expect(consistency).toMatchObject({ questions: 3, meanStd: expect.closeTo(0.05, 12), maxStd: expect.closeTo(0.1, 12) });
    expect(consistency!.perQuestion.map((q) => [q.datasetItemId, q.replicates, q.mean])).toEqual([
      [QUESTIONS[0], 2, expect.closeTo(0.3, 12)], [QUESTIONS[1], 2, expect.closeTo(0.95, 12)], [QUESTIONS[2], 1, 0.5],
    ]);
  });

  it('keeps one human score per rater per item: a repeat replaces it, and the aggregates count it once', async () => {
    const first = await humans.record({ projectId: PROJECT, runId: base.runId, itemId: base.itemIds[0], rater: 'alice', value: 0.8, comment: 'ok' });
    expect(first).toMatchObject({ created: true, score: { rater: 'alice', value: 0.8, comment: 'ok' } });
    await humans.record({ projectId: PROJECT, runId: base.runId, itemId: base.itemIds[0], rater: 'bob', value: 0.6 });
    await humans.record({ projectId: PROJECT, runId: base.runId, itemId: base.itemIds[2], rater: 'alice', value: 0.4 });
    const again = await humans.record({ projectId: PROJECT, runId: base.runId, itemId: base.itemIds[0], rater: 'alice', value: 1 });
    expect(again).toMatchObject({ created: false, score: { value: 1, comment: null } });

    const { human } = await aggregates.aggregates(PROJECT, base.runId);
    expect(human).toMatchObject({ count: 3, itemsRated: 2, mean: expect.closeTo(2 / 3, 12), min: 0.4, max: 1 });
    expect(human.raters.map((r) => [r.rater, r.count, r.mean])).toEqual([['alice', 2, expect.closeTo(0.7, 12)], ['bob', 1, 0.6]]);
    expect(human.passRate).toBeCloseTo(2 / 3, 12); // human scores have no verdicts: ≥ the 0.5 threshold (1, 0.6; not 0.4)
  });

  it('answers not found for a human score of an unknown item or run, and stores nothing', async () => {
    const unknown = randomUUID();
    await expect(humans.record({ projectId: PROJECT, runId: base.runId, itemId: unknown, rater: 'x', value: 0.5 }))
      .rejects.toMatchObject({ code: ServiceErrorCode.NotFound, message: expect.stringContaining(`item ${unknown}`) });
    await expect(humans.record({ projectId: PROJECT, runId: unknown, itemId: base.itemIds[0], rater: 'x', value: 0.5 }))
      .rejects.toMatchObject({ code: ServiceErrorCode.NotFound, message: expect.stringContaining(`evaluation ${unknown}`) });
    // An item of another run is not this run's item.
    await expect(humans.record({ projectId: PROJECT, runId: candidate.runId, itemId: base.itemIds[0], rater: 'x', value: 0.5 }))
      .rejects.toBeInstanceOf(ServiceException);
    const [{ n }] = await dataSource.query(`SELECT count(*)::int AS n FROM human_scores WHERE rater = 'x'`);
    expect(n).toBe(0);
  });

  it('compares two runs pair by pair, with numbers computed by hand', async () => {
    const view = await comparison.compare({
      projectId: PROJECT, baseRunId: base.runId, candidateRunId: candidate.runId, tieTolerance: 0.05, limit: 10, offset: 0,
    });
    // Pairs with both totals: Δ = +0.4, 0, −0.2, 0, +0.4 (the 6th failed in the base). mean 0.12; deviations .28 −.12 −.32 −.12 .28
    // → Σ² = 0.288, sd = √(0.288/4) = 0.268328, SE = sd/√5 = 0.12 → t = 1, df 4.
    expect(view.unpaired).toEqual({ base: 1, candidate: 1 });
    expect(view.total).toMatchObject({ pairs: 5, wins: 2, losses: 1, ties: 2, meanDelta: expect.closeTo(0.12, 12) });
    expect(view.total.baseMean).toBeCloseTo(0.6, 12);
    expect(view.total.candidateMean).toBeCloseTo(0.72, 12);
    expect(view.total.tTest.t).toBeCloseTo(1, 10);
    expect(view.total.tTest.degreesOfFreedom).toBe(4);
    // df 4: F(t) = 1/2 + (3/8)·(t/√(1 + t²/4))·(1 − t²/(12(1 + t²/4))); p = 2(1 − F(1)) = 0.3739
    const f = 0.5 + (3 / 8) * (1 / Math.sqrt(1.25)) * (1 - 1 / 15);
    expect(view.total.tTest.pValue).toBeCloseTo(2 * (1 - f), 8);
    expect(view.total.tTest.ci95![0]).toBeCloseTo(0.12 - 2.776445105 * 0.12, 6);
    expect(view.total.tTest.ci95![1]).toBeCloseTo(0.12 + 2.776445105 * 0.12, 6);
    expect(view.total.bootstrap).toMatchObject({ resamples: 2000, seed: 1 });
    const [low, high] = view.total.bootstrap!.ci95!;
    expect(low).toBeGreaterThanOrEqual(-0.2);
    expect(high).toBeLessThanOrEqual(0.4);
    expect(low).toBeLessThan(0.12);
    expect(high).toBeGreaterThan(0.12);
    // Only exact_match is in both runs.
    expect(view.scorers.map((s) => s.scorer)).toEqual(['exact_match']);
    expect(view.scorers[0]).toMatchObject({ pairs: 5, wins: 2, losses: 1, ties: 2 });
    // Regressions first.
    expect(view.items.total).toBe(5);
    expect(view.items.items.map((i) => [i.baseIndex, i.outcome])).toEqual([[2, 'loss'], [1, 'tie'], [3, 'tie'], [0, 'win'], [4, 'win']]);
    expect(view.items.items[0]).toMatchObject({ question: 'question 1', delta: expect.closeTo(-0.2, 12), deltas: { exact_match: expect.closeTo(-0.2, 12) } });
  });

  it('pages the compared items, and refuses runs it cannot compare', async () => {
    const page = await comparison.compare({
      projectId: PROJECT, baseRunId: base.runId, candidateRunId: candidate.runId, tieTolerance: 0, limit: 2, offset: 4,
    });
    expect(page.items.items.map((i) => i.baseIndex)).toEqual([4]);
    expect(page.total).toMatchObject({ wins: 2, losses: 1, ties: 2 });

    const other = await insertRun('other dataset', [{ name: 'exact_match', weight: 1 }], [0.5], () => ({}), { datasetId: randomUUID() });
    const running = await insertRun('running', [{ name: 'exact_match', weight: 1 }], [0.5], () => ({}), { status: 'running' });
    const ask = (candidateRunId: string) => comparison.compare({
      projectId: PROJECT, baseRunId: base.runId, candidateRunId, tieTolerance: 0, limit: 10, offset: 0,
    });
    await expect(ask(other.runId)).rejects.toMatchObject({ code: ServiceErrorCode.Unprocessable });
    await expect(ask(running.runId)).rejects.toMatchObject({ code: ServiceErrorCode.Conflict });
    await expect(ask(randomUUID())).rejects.toMatchObject({ code: ServiceErrorCode.NotFound });
  });

  it('exports items page by page in item order with their human scores, keeping each page under the byte budget', async () => {
    const first = await exports.page({ projectId: PROJECT, runId: base.runId, afterIndex: -1, limit: 4 });
    expect(first.scorers).toEqual(['exact_match', 'contains']);
    expect(first.items.map((i) => i.index)).toEqual([0, 1, 2, 3]);
    expect(first.items[0].humanScores).toEqual([{ rater: 'alice', value: 1, comment: null }, { rater: 'bob', value: 0.6, comment: null }]);
    expect(first.items.map((i) => i.verdicts)).toEqual([{ exact_match: false }, { exact_match: false }, { exact_match: true }, { exact_match: true }]);
    expect(first.nextAfterIndex).toBe(3);
    const second = await exports.page({ projectId: PROJECT, runId: base.runId, afterIndex: 3, limit: 4 });
    expect(second.items.map((i) => i.index)).toEqual([4, 5]);
    expect(second.nextAfterIndex).toBeNull();
    expect(second.items[1]).toMatchObject({ state: 'failed', score: null, verdicts: {}, error: { code: 'provider_error' } });

    const big = 'x'.repeat(400 * 1024);
    const large = await insertRun('large', [{ name: 'exact_match', weight: 1 }], [0.1, 0.2, 0.3], (t) => ({ exact_match: t }),
      { questions: [big, big, big] });
    const page = await exports.page({ projectId: PROJECT, runId: large.runId, afterIndex: -1, limit: 10 });
    expect(page.items).toHaveLength(1);
    expect(Buffer.byteLength(JSON.stringify(page))).toBeLessThan(EXPORT_PAGE_MAX_BYTES + 1024);
    expect(page.nextAfterIndex).toBe(0);
    await expect(exports.page({ projectId: PROJECT, runId: randomUUID(), afterIndex: -1, limit: 10 }))
      .rejects.toMatchObject({ code: ServiceErrorCode.NotFound });
  });

  it('exports one row per question with its replicates\' count, mean, std, per-scorer figures and outputs, page by page', async () => {
    const first = await questionExports.page({ projectId: PROJECT, runId: base.runId, afterIndex: -1, limit: 2 });
    expect(first.scorers).toEqual(['exact_match', 'contains']);
    // q0: 0.2, 0.4 → mean 0.3, population std 0.1; q1: 0.9, 1 → 0.95, 0.05
    expect(first.questions).toEqual([
      {
        firstIndex: 0, datasetItemId: QUESTIONS[0], category: 'geo', question: 'question 0', groundTruth: 'answer 0', replicates: 2,
        score: { count: 2, mean: expect.closeTo(0.3, 12), std: expect.closeTo(0.1, 12) },
        scores: { contains: { count: 2, mean: 1, std: 0 }, exact_match: { count: 2, mean: expect.closeTo(0.3, 12), std: expect.closeTo(0.1, 12) } },
        outputs: ['output 0', 'output 1'],
      },
      expect.objectContaining({ firstIndex: 2, datasetItemId: QUESTIONS[1], score: { count: 2, mean: expect.closeTo(0.95, 12), std: expect.closeTo(0.05, 12) } }),
    ]);
    expect(first.nextAfterIndex).toBe(2);
    const second = await questionExports.page({ projectId: PROJECT, runId: base.runId, afterIndex: 2, limit: 2 });
    // q2's second replicate failed: counted as a replicate, left out of the statistics, its output null.
    expect(second.questions).toEqual([expect.objectContaining({
      firstIndex: 4, datasetItemId: QUESTIONS[2], category: null, replicates: 2, score: { count: 1, mean: 0.5, std: 0 },
      scores: { contains: { count: 1, mean: 1, std: 0 }, exact_match: { count: 1, mean: 0.5, std: 0 } }, outputs: ['output 4', null],
    })]);
    expect(second.nextAfterIndex).toBeNull();

    // Replicates need not be adjacent: items q0, q1, q0, q1 group into q0 (indexes 0, 2) then q1 (1, 3), each listed once.
    const interleaved = await insertRun('interleaved', [{ name: 'exact_match', weight: 1 }], [0.1, 0.5, 0.3, 0.7], (t) => ({ exact_match: t }),
      { rows: [0, 2, 1, 3] });
    const pages = [await questionExports.page({ projectId: PROJECT, runId: interleaved.runId, afterIndex: -1, limit: 1 })];
    while (pages[pages.length - 1].nextAfterIndex !== null) {
      pages.push(await questionExports.page({ projectId: PROJECT, runId: interleaved.runId, afterIndex: pages[pages.length - 1].nextAfterIndex!, limit: 1 }));
    }
    const rows = pages.flatMap((p) => p.questions);
    expect(rows.map((q) => [q.firstIndex, q.datasetItemId, q.replicates, q.outputs])).toEqual([
      [0, QUESTIONS[0], 2, ['output 0', 'output 2']], [1, QUESTIONS[1], 2, ['output 1', 'output 3']],
    ]);
    expect(rows[1].score.mean).toBeCloseTo(0.6, 12);

    // Two questions of 400 KiB each (a question's text is sent once, not per replicate): over the page budget together.
    const big = 'x'.repeat(400 * 1024);
    const large = await insertRun('large questions', [{ name: 'exact_match', weight: 1 }], [0.1, 0.2, 0.3, 0.4], (t) => ({ exact_match: t }),
      { questions: [big, big, big, big] });
    const page = await questionExports.page({ projectId: PROJECT, runId: large.runId, afterIndex: -1, limit: 10 });
    expect(page.questions).toHaveLength(1);
    expect(page.nextAfterIndex).toBe(0);
    await expect(questionExports.page({ projectId: PROJECT, runId: randomUUID(), afterIndex: -1, limit: 10 }))
      .rejects.toMatchObject({ code: ServiceErrorCode.NotFound });
  });
});
