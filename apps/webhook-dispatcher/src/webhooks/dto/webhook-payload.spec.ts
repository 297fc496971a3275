// The workspace jest config has no setupFiles; decorators in contracts need the Reflect polyfill.
import 'reflect-metadata';
import { ExperimentFinishedEvent, ExperimentStatus, RunFinishedEvent, RunMode, RunStatus, Subjects } from '@yardstick/contracts';
import { buildWebhookPayload, snakeCase, toSnakeCaseKeys } from './webhook-payload';

describe(snakeCase.name, () => {
  it.each([
    ['runId', 'run_id'],
    ['totalCostUsd', 'total_cost_usd'],
    ['items2Total', 'items2_total'],
    ['httpURL', 'http_url'],
    ['HTTPStatus', 'http_status'],
    ['status', 'status'],
    ['already_snake', 'already_snake'],
  ])('turns %s into %s', (camel, snake) => {
    expect(snakeCase(camel)).toBe(snake);
  });
});

describe(toSnakeCaseKeys.name, () => {
  it('renames keys of nested objects and of objects inside arrays, leaving values alone', () => {
    expect(toSnakeCaseKeys({ runId: 'r', scoreSummary: { meanValue: 1 }, perItem: [{ itemId: 'i', rawText: 'camelCase' }], tags: ['aB'] }))
      .toEqual({ run_id: 'r', score_summary: { mean_value: 1 }, per_item: [{ item_id: 'i', raw_text: 'camelCase' }], tags: ['aB'] });
  });

  it('keeps null, numbers and strings as they are', () => {
    expect(toSnakeCaseKeys({ errorText: null, count: 0, name: 'x' })).toEqual({ error_text: null, count: 0, name: 'x' });
  });
});

describe(buildWebhookPayload.name, () => {
  const event: RunFinishedEvent = {
    runId: '11111111-1111-4111-8111-111111111111',
    projectId: '22222222-2222-4222-8222-222222222222',
    runName: 'nightly',
    runMode: RunMode.Fast,
    status: RunStatus.Completed,
    itemsTotal: 10,
    itemsSucceeded: 9,
    itemsFailed: 1,
    score: { mean: 0.82, std: 0.1, count: 9 },
    cost: { responses: 0.01, embeddings: 0.001, totalCostUsd: 0.011 },
    error: null,
    finishedAt: '2024-11-30T10:00:00.000Z',
  };

  it('wraps the snake_cased event with its id, type and time of occurrence', () => {
    const payload = buildWebhookPayload({ eventId: 'evt-1', subject: Subjects.RunCompleted, occurredAt: '2024-11-30T10:00:01.000Z', event });

    expect(payload).toEqual({
      id: 'evt-1',
      type: 'eval.run.completed',
      occurred_at: '2024-11-30T10:00:01.000Z',
      data: {
        run_id: event.runId,
        project_id: event.projectId,
        run_name: 'nightly',
        run_mode: 'fast',
        status: 'completed',
        items_total: 10,
        items_succeeded: 9,
        items_failed: 1,
        score: { mean: 0.82, std: 0.1, count: 9 },
        cost: { responses: 0.01, embeddings: 0.001, total_cost_usd: 0.011 },
        error: null,
        finished_at: '2024-11-30T10:00:00.000Z',
      },
    });
  });

  it('wraps an experiment event the same way, with its own subject as type', () => {
    const finished: ExperimentFinishedEvent = {
      experimentId: '33333333-3333-4333-8333-333333333333',
      projectId: event.projectId,
      name: 'sweep',
      status: ExperimentStatus.Completed,
      reason: null,
      configsCompleted: 4,
      bestConfigId: '44444444-4444-4444-8444-444444444444',
      bestScore: 0.9,
      spentCostUsd: 0.04,
      spentTokens: 1200,
      finishedAt: '2024-11-30T11:00:00.000Z',
    };

    expect(buildWebhookPayload({ eventId: 'evt-2', subject: Subjects.ExperimentCompleted, occurredAt: '2024-11-30T11:00:01.000Z', event: finished }))
      .toEqual({
        id: 'evt-2',
        type: 'eval.experiment.completed',
        occurred_at: '2024-11-30T11:00:01.000Z',
        data: {
          experiment_id: finished.experimentId, project_id: finished.projectId, name: 'sweep', status: 'completed', reason: null,
          configs_completed: 4, best_config_id: finished.bestConfigId, best_score: 0.9, spent_cost_usd: 0.04, spent_tokens: 1200,
          finished_at: '2024-11-30T11:00:00.000Z',
        },
      });
  });
});
