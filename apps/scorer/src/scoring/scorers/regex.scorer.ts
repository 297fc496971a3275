import { compileScorerRegex, RegexScorerConfig, ScorerName } from '@yardstick/contracts';
import { Scorer, ScorerInput, ScoreValue } from '../scorer';
import { ScorerError, ScorerErrorCode } from '../scorer.error';
import { boundedPrefix, excerpt } from './text-normalization';
import { runWithTimeLimit, TimeLimitExceededError } from './time-limit';

const NAME = ScorerName.Regex;

/** How much of the output a regex scans (UTF-16 units); the rest is ignored and details say so. */
export const MAX_REGEX_INPUT_CHARS = 100_000;

interface PreparedRegex {
  regex: RegExp;
  mustMatch: boolean;
}

/**
 * Whether the output matches the pattern (must_match: true) or does not (must_match: false): 1 and passed, or 0.
 *
 * ReDoS guard, three layers: the pattern is at most MAX_REGEX_PATTERN_LENGTH characters and never stateful (no g or y flag;
 * checked with the config); it scans at most the first MAX_REGEX_INPUT_CHARS of the output; and it runs under a time limit
 * (runWithTimeLimit), so catastrophic backtracking becomes a scorer error on the item instead of a blocked process.
 */
export class RegexScorer implements Scorer<typeof NAME, PreparedRegex> {
  readonly name = NAME;

  prepare(config: RegexScorerConfig): PreparedRegex {
    const compiled = compileScorerRegex(config.pattern, config.flags);
    if (!compiled.ok) throw new ScorerError(NAME, ScorerErrorCode.InvalidConfig, compiled.problems.join('; '));
    return { regex: compiled.value, mustMatch: config.must_match };
  }

  score(input: ScorerInput, { regex, mustMatch }: PreparedRegex): ScoreValue {
    const { text, truncated } = boundedPrefix(input.output, MAX_REGEX_INPUT_CHARS);
    let match: RegExpExecArray | null;
    try {
      match = runWithTimeLimit(() => regex.exec(text));
    } catch (error) {
      if (!(error instanceof TimeLimitExceededError)) throw error;
      throw new ScorerError(NAME, ScorerErrorCode.TimeLimitExceeded,
        `the pattern ran over ${error.limitMs} ms on ${text.length} characters of output (catastrophic backtracking?)`);
    }
    const passed = (match !== null) === mustMatch;
    return {
      value: passed ? 1 : 0,
      passed,
      details: {
        matched: match !== null,
        must_match: mustMatch,
        ...(match ? { match: excerpt(match[0], 200), match_index: match.index } : {}),
        ...(truncated ? { truncated: true, scanned_chars: text.length } : {}),
      },
    };
  }
}
