// The workspace jest config has no setupFiles; decorators in contracts need the Reflect polyfill.
import 'reflect-metadata';
import { CacheMode, parseScorerConfig, ScorerName } from '@yardstick/contracts';
import { ScriptedJudge } from '../../../test/scripted-judge';
import { ScorerErrorCode, ScoreUnavailableError } from '../scorer.error';
import { LlmJudgeScorer } from './llm-judge.scorer';

const item = {
  runId: '00000000-0000-4000-8000-000000000001', projectId: '00000000-0000-4000-8000-000000000002',
  itemId: '00000000-0000-4000-8000-000000000003', attempt: 1,
  question: 'What is the capital of France?', groundTruth: 'Paris', output: 'It is Paris.', cacheMode: CacheMode.ReadWrite,
};

function judgeWith(answer: string, config: object = {}) {
  const judge = new ScriptedJudge([answer]);
  const sut = new LlmJudgeScorer(judge);
  const parsed = parseScorerConfig(ScorerName.LlmJudge, { rubric: 'Names the right city.', model: 'sim-judge', ...config });
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  return { judge, score: () => sut.score(item, sut.prepare(parsed.value)) };
}

describe(LlmJudgeScorer.name, () => {
  it('asks the judge once with the rubric, question, reference and output, at temperature 0', async () => {
    const { judge, score } = judgeWith('Score: 9/10');
    await score();
    expect(judge.requests).toEqual([expect.objectContaining({
      runId: item.runId, itemId: item.itemId, attempt: 1, scorer: ScorerName.LlmJudge, model: 'sim-judge', cacheMode: CacheMode.ReadWrite,
      params: { temperature: 0 },
    })]);
    const prompt = judge.requests[0].input;
    for (const part of ['Names the right city.', '<question>\nWhat is the capital of France?', '<reference>\nParis', '<response>\nIt is Paris.', 'from 1 to 10']) {
      expect(prompt).toContain(part);
    }
  });

  it('normalises the judge’s score and reports it with the answer and a verdict against the threshold', async () => {
    const { score } = judgeWith("I'd say 7/10", { threshold: 0.6 });
    expect(await score()).toMatchObject({
      value: 6 / 9, passed: true,
      details: { judge_score: 7, scale: '1-10', judge_model: 'sim-judge', judge_answer: "I'd say 7/10" },
      spend: { usage: { totalTokens: 125 }, costUsd: 0.0002 },
    });
  });

  it('scores on the 0-5 scale when configured', async () => {
    const { judge, score } = judgeWith('**4**/5', { scale: '0-5' });
    expect(await score()).toMatchObject({ value: 0.8, details: { judge_score: 4 } });
    expect(judge.requests[0].input).toContain('from 0 to 5');
  });

  it.each(['The weather is lovely today.', 'Score: 7/10, or maybe 9/10', 'Score: 12/10'])(
    'gives no score, never a silent 0, for %j: an unparseable_judgement carrying the spend',
    async (answer) => {
      const { score } = judgeWith(answer);
      const error = await score().then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(ScoreUnavailableError);
      expect(error).toMatchObject({ code: ScorerErrorCode.UnparseableJudgement, spend: { costUsd: 0.0002 } });
      expect((error as Error).message).toContain(JSON.stringify(answer));
    },
  );
});
