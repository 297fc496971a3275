import { KeywordsScorerConfig, ScorerName } from '@yardstick/contracts';
import { Scorer, ScorerInput, ScoreValue } from '../scorer';
import { foldCase } from './text-normalization';

const NAME = ScorerName.Keywords;

interface PreparedKeywords {
  present: string[];
  absent: string[];
  fold: (text: string) => string;
}

/**
 * Keyword requirements: each `required_present` term must occur in the output, each `required_absent` term must not (plain
 * substring search, case-folded unless case_sensitive). Value = requirements satisfied / requirements; passed = all satisfied.
 */
export class KeywordsScorer implements Scorer<typeof NAME, PreparedKeywords> {
  readonly name = NAME;

  prepare(config: KeywordsScorerConfig): PreparedKeywords {
    const fold = config.case_sensitive ? (text: string) => text : foldCase;
    return { present: config.required_present, absent: config.required_absent, fold };
  }

  score(input: ScorerInput, { present, absent, fold }: PreparedKeywords): ScoreValue {
    const output = fold(input.output);
    const occurs = (term: string) => output.includes(fold(term));
    const missing = present.filter((term) => !occurs(term));
    const forbiddenFound = absent.filter(occurs);
    const total = present.length + absent.length;
    const satisfied = total - missing.length - forbiddenFound.length;
    return {
      value: satisfied / total,
      passed: satisfied === total,
      details: { satisfied, total, missing, forbidden_found: forbiddenFound },
    };
  }
}
