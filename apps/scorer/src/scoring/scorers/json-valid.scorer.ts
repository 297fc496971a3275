import { JsonValidScorerConfig, ScorerName } from '@yardstick/contracts';
import { Scorer, ScorerInput, ScoreValue } from '../scorer';
import { parseJsonOutput } from './json-output';

const NAME = ScorerName.JsonValid;

/** Whether the output (or its first fenced code block, with extract_code_block) parses as JSON: 1 and passed, or 0 with the parse error. */
export class JsonValidScorer implements Scorer<typeof NAME, JsonValidScorerConfig> {
  readonly name = NAME;

  prepare(config: JsonValidScorerConfig): JsonValidScorerConfig {
    return config;
  }

  score(input: ScorerInput, config: JsonValidScorerConfig): ScoreValue {
    const parsed = parseJsonOutput(input.output, config.extract_code_block);
    const fromCodeBlock = config.extract_code_block ? { from_code_block: parsed.fromCodeBlock } : {};
    if (!parsed.ok) return { value: 0, passed: false, details: { error: parsed.error, ...fromCodeBlock } };
    return { value: 1, passed: true, details: { ...fromCodeBlock } };
  }
}
