import { MarkdownElementRule, MarkdownScorerConfig, ScorerName } from '@yardstick/contracts';
import { Scorer, ScorerInput, ScoreValue } from '../scorer';
import { countMarkdownElements, MarkdownCounts } from './markdown-structure';

const NAME = ScorerName.Markdown;

interface ElementRequirement {
  element: keyof MarkdownCounts;
  /** Inclusive bounds on the element's count. */
  atLeast: number;
  atMost: number;
}

/**
 * The output's markdown structure against the configured rules, one per element: `forbidden` = none; `required` = at least
 * one; `min_count` = at least that many. Value = rules satisfied / rules; passed = all satisfied.
 * What counts as a header, list item or code block: see markdown-structure.ts.
 */
export class MarkdownScorer implements Scorer<typeof NAME, ElementRequirement[]> {
  readonly name = NAME;

  prepare(config: MarkdownScorerConfig): ElementRequirement[] {
    return (['headers', 'list_items', 'code_blocks'] as const).flatMap((element) => {
      const rule: MarkdownElementRule | undefined = config[element];
      if (!rule) return [];
      if (rule.presence === 'forbidden') return [{ element, atLeast: 0, atMost: 0 }];
      return [{ element, atLeast: rule.min_count ?? 1, atMost: Number.POSITIVE_INFINITY }];
    });
  }

  score(input: ScorerInput, requirements: ElementRequirement[]): ScoreValue {
    const counts = countMarkdownElements(input.output);
    const failed = requirements
      .filter(({ element, atLeast, atMost }) => counts[element] < atLeast || counts[element] > atMost)
      .map(({ element, atLeast, atMost }) =>
        `${element}: expected ${atMost === 0 ? 'none' : `at least ${atLeast}`}, found ${counts[element]}`);
    const satisfied = requirements.length - failed.length;
    return { value: satisfied / requirements.length, passed: failed.length === 0, details: { counts, failed } };
  }
}
