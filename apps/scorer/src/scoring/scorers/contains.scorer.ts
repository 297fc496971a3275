import { ContainsScorerConfig, ScorerName } from '@yardstick/contracts';
import { Scorer, ScorerInput, ScoreValue } from '../scorer';
import { foldCase } from './text-normalization';

const NAME = ScorerName.Contains;

interface PreparedContains {
  substrings: string[];
  /** The substrings as compared: case-folded unless case_sensitive. */
  needles: string[];
  match: 'all' | 'any';
  fold: (text: string) => string;
}

/** Whether the output contains the configured substring, or all (`match: all`) or any (`match: any`) of a list: 1 and passed, or 0. */
export class ContainsScorer implements Scorer<typeof NAME, PreparedContains> {
  readonly name = NAME;

  prepare(config: ContainsScorerConfig): PreparedContains {
    const substrings = typeof config.substring === 'string' ? [config.substring] : config.substring;
    const fold = config.case_sensitive ? (text: string) => text : foldCase;
    return { substrings, needles: substrings.map(fold), match: config.match, fold };
  }

  score(input: ScorerInput, prepared: PreparedContains): ScoreValue {
    const output = prepared.fold(input.output);
    const missing = prepared.substrings.filter((_, i) => !output.includes(prepared.needles[i]));
    const satisfied = prepared.match === 'all' ? missing.length === 0 : missing.length < prepared.substrings.length;
    return { value: satisfied ? 1 : 0, passed: satisfied, details: { match: prepared.match, missing } };
  }
}
