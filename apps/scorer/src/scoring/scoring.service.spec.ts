// The workspace jest config has no setupFiles; decorators in contracts need the Reflect polyfill.
import 'reflect-metadata';
import { ScoreItemCommand, ScorerName } from '@yardstick/contracts';
import { Scorer } from './scorer';
import { ScorerError, ScorerErrorCode } from './scorer.error';
import { createScorers, ScorerRegistry } from './scorer.registry';
import { ScriptedJudge } from '../../test/scripted-judge';
import { ScoringService } from './scoring.service';

const cosine = ScorerName.CosineSimilarity;

function command(overrides: Partial<ScoreItemCommand> = {}): ScoreItemCommand {
  return {
    runId: '00000000-0000-4000-8000-000000000001',
    projectId: '00000000-0000-4000-8000-000000000002',
    itemId: '00000000-0000-4000-8000-000000000003',
    attempt: 1,
    scorers: [{ name: cosine, weight: 1 }],
    output: 'Paris',
    groundTruth: 'Paris',
    outputEmbedding: [1, 0],
    groundTruthEmbedding: [1, 1],
    ...overrides,
  };
}

function serviceWith(score: Scorer<ScorerName.CosineSimilarity>['score'], prepare = (config: object) => config): ScoringService {
  return new ScoringService(new ScorerRegistry({ [cosine]: { name: cosine, prepare, score } }));
}

describe(ScoringService.name, () => {
  const sut = new ScoringService(new ScorerRegistry(createScorers({ judge: new ScriptedJudge() })));

  it('returns one result per requested scorer', async () => {
    const { results: [result, ...rest], errors } = await sut.score(command());
    expect(errors).toEqual([]);
    expect(rest).toHaveLength(0);
    expect(result.scorer).toBe(cosine);
    expect(result.value).toBeCloseTo(Math.SQRT1_2, 12);
    expect(result).not.toHaveProperty('passed');
  });

  it('scores a scorer requested twice once', async () => {
    expect((await sut.score(command({ scorers: [{ name: cosine, weight: 1 }, { name: cosine, weight: 2 }] }))).results).toHaveLength(1);
  });

  it('returns no results when no scorer is requested', async () => {
    expect(await sut.score(command({ scorers: [] }))).toEqual({ results: [], errors: [] });
  });

  it('gives the same results for the same command', async () => {
    expect(await sut.score(command())).toEqual(await sut.score(command()));
  });

  it('fails with a ScorerError when a requested scorer is not registered', async () => {
    const empty = new ScoringService(new ScorerRegistry({}));
    await expect(empty.score(command())).rejects.toThrow(ScorerError);
  });

  it('fails with a ScorerError when a scorer returns a value outside [0, 1]', async () => {
    const broken = serviceWith(() => ({ value: 1.5 }));
    await expect(broken.score(command())).rejects.toThrow(expect.objectContaining({ code: ScorerErrorCode.InvalidValue }));
  });

  it('passes a scorer’s verdict and details through', async () => {
    const verdict = serviceWith(() => ({ value: 0.9, passed: true, details: { threshold: 0.8 } }));
    expect((await verdict.score(command())).results).toEqual([{ scorer: cosine, value: 0.9, passed: true, details: { threshold: 0.8 } }]);
  });

  it('hands each scorer its config, validated and with defaults filled in', async () => {
    const { results } = await sut.score(command({
      output: '  PARIS ',
      scorers: [
        { name: cosine, weight: 1, config: { threshold: 0.5 } },
        { name: ScorerName.ExactMatch, weight: 1, config: { case_sensitive: false } },
        { name: ScorerName.Regex, weight: 1, config: { pattern: '^paris$', flags: 'i', must_match: false } },
      ],
    }));
    expect(results.map(({ scorer, value, passed }) => ({ scorer, value, passed }))).toEqual([
      { scorer: cosine, value: expect.closeTo(Math.SQRT1_2, 12), passed: true },
      { scorer: ScorerName.ExactMatch, value: 1, passed: true },
      { scorer: ScorerName.Regex, value: 1, passed: true },
    ]);
  });

  it('fails with an invalid_config ScorerError naming the field when a config is invalid', async () => {
    const bad = command({ scorers: [{ name: ScorerName.Regex, weight: 1, config: { pattern: '(', flags: 'g' } }] });
    await expect(sut.score(bad)).rejects.toThrow(expect.objectContaining({
      code: ScorerErrorCode.InvalidConfig, message: expect.stringMatching(/^regex: invalid config: config\.flags: /),
    }));
  });

  it('fails rather than scoring 0 when a scorer that needs a config has none', async () => {
    await expect(sut.score(command({ scorers: [{ name: ScorerName.Contains, weight: 1 }] }))).rejects.toThrow(
      expect.objectContaining({ code: ScorerErrorCode.InvalidConfig, message: expect.stringContaining('config.substring') }),
    );
  });

  it('prepares a config once for all the items that share it', async () => {
    const prepare = jest.fn((config: object) => config);
    const service = serviceWith(() => ({ value: 1 }), prepare);
    for (let i = 0; i < 3; i++) await service.score(command({ scorers: [{ name: cosine, weight: 1, config: { threshold: 0.5 } }] }));
    await service.score(command({ scorers: [{ name: cosine, weight: 1, config: { threshold: 0.6 } }] }));
    expect(prepare).toHaveBeenCalledTimes(2);
  });

  it('uses the first config of a scorer listed twice', async () => {
    const twice = command({
      output: 'abc',
      scorers: [{ name: ScorerName.Length, weight: 1, config: { max: 3 } }, { name: ScorerName.Length, weight: 1, config: { max: 1 } }],
    });
    expect((await sut.score(twice)).results).toEqual([expect.objectContaining({ value: 1, passed: true })]);
  });

  describe('with an llm_judge', () => {
    const judged = (judge: ScriptedJudge) => new ScoringService(new ScorerRegistry(createScorers({ judge })));
    const withJudge = command({
      scorers: [{ name: cosine, weight: 1 }, { name: ScorerName.LlmJudge, weight: 1, config: { rubric: 'Names the city.', model: 'sim-judge' } }],
    });

    it('reports an unreadable judge answer as that scorer’s error, keeps the other scores and still counts the judge’s spend', async () => {
      const scored = await judged(new ScriptedJudge(['The weather is lovely today.'])).score(withJudge);
      expect(scored.results.map((r) => r.scorer)).toEqual([cosine]);
      expect(scored.errors).toEqual([{
        scorer: ScorerName.LlmJudge, code: ScorerErrorCode.UnparseableJudgement, message: expect.stringContaining('no score found'),
      }]);
      expect(scored.spend).toMatchObject({ costUsd: 0.0002, usage: { totalTokens: 125 } });
    });

    it('carries the judge’s spend with its score', async () => {
      const scored = await judged(new ScriptedJudge(['Score: 10/10'])).score(withJudge);
      expect(scored.results[1]).toMatchObject({ scorer: ScorerName.LlmJudge, value: 1, details: { judge_score: 10 } });
      expect(scored.errors).toEqual([]);
      expect(scored.spend).toMatchObject({ costUsd: 0.0002, latencyMs: 40 });
    });
  });
});
