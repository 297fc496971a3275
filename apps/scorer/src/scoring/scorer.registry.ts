import { ScorerName } from '@yardstick/contracts';
import { JudgeClient } from './judge/judge-completion.client';
import { Scorer } from './scorer';
import { ScorerError, ScorerErrorCode } from './scorer.error';
import { ContainsScorer } from './scorers/contains.scorer';
import { CosineSimilarityScorer } from './scorers/cosine-similarity.scorer';
import { ExactMatchScorer } from './scorers/exact-match.scorer';
import { JsonSchemaScorer } from './scorers/json-schema.scorer';
import { JsonValidScorer } from './scorers/json-valid.scorer';
import { KeywordsScorer } from './scorers/keywords.scorer';
import { LengthScorer } from './scorers/length.scorer';
import { LlmJudgeScorer } from './scorers/llm-judge.scorer';
import { MarkdownScorer } from './scorers/markdown.scorer';
import { RegexScorer } from './scorers/regex.scorer';

export type ScorerCatalog = { readonly [N in ScorerName]: Scorer<N> };

/** What scorers that call a model are given. */
export interface ScorerDependencies {
  judge: JudgeClient;
}

/**
 * Every scorer the service runs, by name. Adding a scorer is its own file plus one line here (its name and config class
 * go in @yardstick/contracts); a ScorerName without an entry does not compile.
 */
export const createScorers = ({ judge }: ScorerDependencies): ScorerCatalog => ({
  [ScorerName.CosineSimilarity]: new CosineSimilarityScorer(),
  [ScorerName.ExactMatch]: new ExactMatchScorer(),
  [ScorerName.Contains]: new ContainsScorer(),
  [ScorerName.Keywords]: new KeywordsScorer(),
  [ScorerName.Regex]: new RegexScorer(),
  [ScorerName.JsonValid]: new JsonValidScorer(),
  [ScorerName.JsonSchema]: new JsonSchemaScorer(),
  [ScorerName.Length]: new LengthScorer(),
  [ScorerName.Markdown]: new MarkdownScorer(),
  [ScorerName.LlmJudge]: new LlmJudgeScorer(judge),
});

export class ScorerRegistry {
  constructor(private readonly scorers: Partial<ScorerCatalog>) {}

  get(name: ScorerName): Scorer {
    const scorer = this.scorers[name];
    // Reachable only when a newer producer sends a scorer this build does not know.
    if (!scorer) throw new ScorerError(name, ScorerErrorCode.UnknownScorer, 'no such scorer in this version of the scorer service');
    return scorer;
  }
}
