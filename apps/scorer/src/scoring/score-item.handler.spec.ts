// The workspace jest config has no setupFiles; decorators in contracts need the Reflect polyfill.
import 'reflect-metadata';
import { BusPublisher, PublishOptions } from '@yardstick/bus';
import { ScoreItemCommand, ScorerName, Stage, Subjects } from '@yardstick/contracts';
import { ScoreItemHandler } from './score-item.handler';
import { ScriptedJudge } from '../../test/scripted-judge';
import { JudgeCallError } from './judge/judge-call.error';
import { createScorers, ScorerRegistry } from './scorer.registry';
import { ScoringService } from './scoring.service';

interface Published {
  subject: string;
  data: unknown;
  options: PublishOptions;
}

function recordingPublisher(published: Published[]): BusPublisher {
  const fake: Pick<BusPublisher, 'publish'> = {
    publish: async (subject, data, options) => {
      published.push({ subject, data, options });
      return { duplicate: false };
    },
  };
  return fake as BusPublisher;
}

const command: ScoreItemCommand = {
  runId: '00000000-0000-4000-8000-000000000001',
  projectId: '00000000-0000-4000-8000-000000000002',
  itemId: '00000000-0000-4000-8000-000000000003',
  attempt: 2,
  scorers: [{ name: ScorerName.CosineSimilarity, weight: 1 }],
  output: 'Paris',
  groundTruth: 'Paris',
  outputEmbedding: [0.5, 0.5],
  groundTruthEmbedding: [1, 1],
};

describe(ScoreItemHandler.name, () => {
  let published: Published[];
  let sut: ScoreItemHandler;

  beforeEach(() => {
    published = [];
    sut = new ScoreItemHandler(new ScoringService(new ScorerRegistry(createScorers({ judge: new ScriptedJudge() }))), recordingPublisher(published));
  });

  it('publishes ItemScored keyed by item, stage and attempt, correlated with the run', async () => {
    await sut.scoreItem(command);
    expect(published).toEqual([
      {
        subject: Subjects.ItemScored,
        data: {
          runId: command.runId, projectId: command.projectId, itemId: command.itemId, attempt: 2,
          results: [{ scorer: ScorerName.CosineSimilarity, value: 1, details: { cosine: 1 } }],
        },
        options: { messageId: `${command.itemId}:${Stage.Scoring}:2:scored`, correlationId: command.runId },
      },
    ]);
  });

  it('publishes a non-retryable ItemStageFailed instead of throwing when the item cannot be scored', async () => {
    await sut.scoreItem({ ...command, groundTruthEmbedding: [1, 1, 1] });
    expect(published).toEqual([
      {
        subject: Subjects.ItemStageFailed,
        data: {
          runId: command.runId, projectId: command.projectId, itemId: command.itemId, attempt: 2, stage: Stage.Scoring,
          error: { code: 'scorer_error', message: expect.stringContaining('dimensions'), retryable: false },
        },
        options: { messageId: `${command.itemId}:${Stage.Scoring}:2:failed`, correlationId: command.runId },
      },
    ]);
  });

  it('publishes the judge call’s own failure, retryable as classified, so the orchestrator retries the scoring stage', async () => {
    const judge = new ScriptedJudge([new JudgeCallError({ code: 'rate_limited', message: 'slow down', retryable: true, retryAfterMs: 1000 })]);
    const handler = new ScoreItemHandler(new ScoringService(new ScorerRegistry(createScorers({ judge }))), recordingPublisher(published));
    await handler.scoreItem({ ...command, scorers: [{ name: ScorerName.LlmJudge, weight: 1, config: { rubric: 'r', model: 'sim-judge' } }] });
    expect(published).toEqual([expect.objectContaining({
      subject: Subjects.ItemStageFailed,
      data: expect.objectContaining({ error: { code: 'rate_limited', message: 'slow down', retryable: true, retryAfterMs: 1000 } }),
    })]);
  });

  it('publishes the judge’s tokens and cost with the scores, and an unreadable answer under errors', async () => {
    const judge = new ScriptedJudge(['Hmm, hard to say.']);
    const handler = new ScoreItemHandler(new ScoringService(new ScorerRegistry(createScorers({ judge }))), recordingPublisher(published));
    await handler.scoreItem({ ...command, scorers: [{ name: ScorerName.LlmJudge, weight: 1, config: { rubric: 'r', model: 'sim-judge' } }] });
    expect(published[0]).toMatchObject({
      subject: Subjects.ItemScored,
      data: {
        results: [], errors: [{ scorer: ScorerName.LlmJudge, code: 'unparseable_judgement' }],
        usage: { inputTokens: 120, outputTokens: 5, totalTokens: 125 }, costUsd: 0.0002, latencyMs: 40, cacheHit: false,
      },
    });
  });

  it('lets a publish failure reach the bus so the command is redelivered', async () => {
    const failing = { publish: async () => Promise.reject(new Error('nats down')) } as unknown as BusPublisher;
    const handler = new ScoreItemHandler(new ScoringService(new ScorerRegistry(createScorers({ judge: new ScriptedJudge() }))), failing);
    await expect(handler.scoreItem(command)).rejects.toThrow('nats down');
  });
});
