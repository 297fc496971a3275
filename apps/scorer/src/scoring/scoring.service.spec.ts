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

function serviceWith(scorer: Scorer<ScorerName.CosineSimilarity>): ScoringService {
  return new ScoringService(new ScorerRegistry({ [cosine]: scorer }));
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
    const broken = serviceWith({ name: cosine, score: () => ({ value: 1.5 }) });
    expect(() => broken.score(command())).toThrow(expect.objectContaining({ code: ScorerErrorCode.InvalidValue }));
  });

  it('passes a scorer’s verdict and details through', () => {
    const verdict = serviceWith({ name: cosine, score: () => ({ value: 0.9, passed: true, details: { threshold: 0.8 } }) });
    expect(verdict.score(command())).toEqual([{ scorer: cosine, value: 0.9, passed: true, details: { threshold: 0.8 } }]);
  });
});
