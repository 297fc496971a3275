import { ExperimentStatus, RunConfigSnapshot } from '@yardstick/contracts';
import { configHash, estimateRun, resolveConfig } from './experiment-config';
import { ExperimentRow } from './experiment-row';
import { budgetReached, overBudget } from './sweep-driver';

const base: RunConfigSnapshot = {
  configId: '00000000-0000-4000-8000-000000000001', version: 1, model: 'sim-small', instructions: 'Be brief.',
  promptTemplate: 'Q: {{question}}', params: { temperature: 0, maxOutputTokens: 10 }, embeddingModel: 'emb',
};
const prices = { 'sim-small': { input: 1, output: 2 }, 'sim-large': { input: 10, output: 20 }, emb: { input: 0.5, output: 0 } };
const experiment = (budget: ExperimentRow['budget']) => ({ budget, status: ExperimentStatus.Running }) as ExperimentRow;

describe('experiment configs', () => {
  it('applies a point to the base config', () => {
    const config = resolveConfig(base, { model: 'sim-large', temperature: 0.7, top_p: 0.9, max_output_tokens: 64 });
    expect(config).toMatchObject({ model: 'sim-large', params: { temperature: 0.7, topP: 0.9, maxOutputTokens: 64 }, embeddingModel: 'emb' });
    expect(base.params.temperature).toBe(0);
  });

  it('hashes equal configs equally whatever the key order, and different configs differently', () => {
    const a = resolveConfig(base, { model: 'sim-large', temperature: 0.5 });
    const b = resolveConfig(base, { temperature: 0.5, model: 'sim-large' });
    expect(configHash(a)).toBe(configHash(b));
    expect(configHash(a)).not.toBe(configHash(resolveConfig(base, { model: 'sim-large', temperature: 0.6 })));
    expect(configHash(resolveConfig(base, { temperature: 0 }))).toBe(configHash(base));
  });

  it('estimates the worst case from the dataset, max_output_tokens and prices', () => {
    const stats = { items: 10, questionChars: 400, answerChars: 200 };
    const estimate = estimateRun(base, stats, prices);
    const input = 10 * (Math.ceil((9 + 15) / 2) + 8) + 200;
    const output = 10 * 10;
    const embedding = output + 100 + 20;
    expect(estimate.tokens).toBe(input + output + embedding);
    expect(estimate.costUsd).toBeCloseTo((input * 1 + output * 2 + embedding * 0.5) / 1e6, 12);
    expect(estimateRun(resolveConfig(base, { model: 'unpriced' }), stats, prices).costUsd).toBeNull();
  });
});

describe('budget checks', () => {
  const spending = { spentCostUsd: 0.4, spentTokens: 400, committedCostUsd: 0.7, committedTokens: 900 };

  it('lets a run start only when its worst case fits next to what is committed', () => {
    expect(overBudget(experiment({ maxCostUsd: 1 }), spending, { tokens: 10, costUsd: 0.3 })).toBeNull();
    expect(overBudget(experiment({ maxCostUsd: 1 }), spending, { tokens: 10, costUsd: 0.31 })).toMatch(/budget is left/);
    expect(overBudget(experiment({ maxTokens: 1000 }), spending, { tokens: 101, costUsd: null })).toMatch(/100 of the budget/);
    expect(overBudget(experiment({ maxCostUsd: 1 }), spending, { tokens: 1, costUsd: null })).not.toBeNull();
    expect(overBudget(experiment({}), spending, { tokens: 1e9, costUsd: 1e9 })).toBeNull();
  });

  it('says when spending has reached the budget', () => {
    expect(budgetReached(experiment({ maxCostUsd: 0.5 }), spending)).toBeNull();
    expect(budgetReached(experiment({ maxCostUsd: 0.4 }), spending)).toMatch(/budget/);
    expect(budgetReached(experiment({ maxTokens: 400 }), spending)).toMatch(/400 of the 400 tokens/);
  });
});
