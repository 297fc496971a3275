import { ScorerName } from '@yardstick/contracts';
import { CosineSimilarityScorer } from './cosine-similarity.scorer';
import { Scorer } from './scorer';
import { ScorerError, ScorerErrorCode } from './scorer.error';

export type ScorerCatalog = { readonly [N in ScorerName]: Scorer<N> };

/**
 * Every scorer the service runs, by name. Adding a scorer is its own file plus one line here;
 * a ScorerName without an entry does not compile.
 */
export const SCORERS: ScorerCatalog = {
  [ScorerName.CosineSimilarity]: new CosineSimilarityScorer(),
};

export class ScorerRegistry {
  constructor(private readonly scorers: Partial<ScorerCatalog> = SCORERS) {}

  get(name: ScorerName): Scorer {
    const scorer = this.scorers[name];
    // Reachable only when a newer producer sends a scorer this build does not know.
    if (!scorer) throw new ScorerError(name, ScorerErrorCode.UnknownScorer, 'no such scorer in this version of the scorer service');
    return scorer;
  }
}
