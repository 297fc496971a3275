// The workspace jest config has no setupFiles; decorators in contracts need the Reflect polyfill.
import 'reflect-metadata';
import { ScoreItemCommand, ScorerName } from '@yardstick/contracts';
import { Scorer } from './scorer';
import { ScorerError, ScorerErrorCode } from './scorer.error';
import { ScorerRegistry } from './scorer.registry';
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
  const sut = new ScoringService(new ScorerRegistry());

  it('returns one result per requested scorer', () => {
    const [result, ...rest] = sut.score(command());
    expect(rest).toHaveLength(0);
    expect(result.scorer).toBe(cosine);
    expect(result.value).toBeCloseTo(Math.SQRT1_2, 12);
    expect(result).not.toHaveProperty('passed');
  });

  it('scores a scorer requested twice once', () => {
    expect(sut.score(command({ scorers: [{ name: cosine, weight: 1 }, { name: cosine, weight: 2 }] }))).toHaveLength(1);
  });

  it('returns no results when no scorer is requested', () => {
    expect(sut.score(command({ scorers: [] }))).toEqual([]);
  });

  it('gives the same results for the same command', () => {
    expect(sut.score(command())).toEqual(sut.score(command()));
  });

  it('fails with a ScorerError when a requested scorer is not registered', () => {
    const empty = new ScoringService(new ScorerRegistry({}));
    expect(() => empty.score(command())).toThrow(ScorerError);
  });

  it('fails with a ScorerError when a scorer returns a value outside [0, 1]', () => {
    const broken = serviceWith(() => ({ value: 1.5 }));
    expect(() => broken.score(command())).toThrow(expect.objectContaining({ code: ScorerErrorCode.InvalidValue }));
  });

  it('passes a scorer’s verdict and details through', () => {
    const verdict = serviceWith(() => ({ value: 0.9, passed: true, details: { threshold: 0.8 } }));
    expect(verdict.score(command())).toEqual([{ scorer: cosine, value: 0.9, passed: true, details: { threshold: 0.8 } }]);
  });

  it('hands each scorer its config, validated and with defaults filled in', () => {
    const results = sut.score(command({
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

  it('fails with an invalid_config ScorerError naming the field when a config is invalid', () => {
    const bad = command({ scorers: [{ name: ScorerName.Regex, weight: 1, config: { pattern: '(', flags: 'g' } }] });
    expect(() => sut.score(bad)).toThrow(expect.objectContaining({
      code: ScorerErrorCode.InvalidConfig, message: expect.stringMatching(/^regex: invalid config: config\.flags: /),
    }));
  });

  it('fails rather than scoring 0 when a scorer that needs a config has none', () => {
    expect(() => sut.score(command({ scorers: [{ name: ScorerName.Contains, weight: 1 }] }))).toThrow(
      expect.objectContaining({ code: ScorerErrorCode.InvalidConfig, message: expect.stringContaining('config.substring') }),
    );
  });

  it('prepares a config once for all the items that share it', () => {
    const prepare = jest.fn((config: object) => config);
    const service = serviceWith(() => ({ value: 1 }), prepare);
    for (let i = 0; i < 3; i++) service.score(command({ scorers: [{ name: cosine, weight: 1, config: { threshold: 0.5 } }] }));
    service.score(command({ scorers: [{ name: cosine, weight: 1, config: { threshold: 0.6 } }] }));
    expect(prepare).toHaveBeenCalledTimes(2);
  });

  it('uses the first config of a scorer listed twice', () => {
    const twice = command({
      output: 'abc',
      scorers: [{ name: ScorerName.Length, weight: 1, config: { max: 3 } }, { name: ScorerName.Length, weight: 1, config: { max: 1 } }],
    });
    expect(sut.score(twice)).toEqual([expect.objectContaining({ value: 1, passed: true })]);
  });
});
