import { ScorerName } from '@yardstick/contracts';
import { weightedScore } from './weighted-score';

describe(weightedScore.name, () => {
  const cosine = { name: ScorerName.CosineSimilarity, weight: 2 };

  it('is the weighted mean of the present scores', () => {
    expect(weightedScore([cosine], { cosine_similarity: 0.25 })).toBeCloseTo(0.25);
  });

  it('leaves a missing score out instead of counting it as zero', () => {
    expect(weightedScore([cosine, { name: 'other' as ScorerName, weight: 1 }], { cosine_similarity: 0.5 })).toBeCloseTo(0.5);
  });

  it('is null when no scorer produced a score', () => {
    expect(weightedScore([cosine], {})).toBeNull();
  });
});
