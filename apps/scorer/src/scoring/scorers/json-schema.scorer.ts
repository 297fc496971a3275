import type { ValidateFunction } from 'ajv';
import { compileJsonSchema, JsonSchemaScorerConfig, ScorerName } from '@yardstick/contracts';
import { Scorer, ScorerInput, ScoreValue } from '../scorer';
import { ScorerError, ScorerErrorCode } from '../scorer.error';
import { parseJsonOutput } from './json-output';
import { runWithTimeLimit, TimeLimitExceededError } from './time-limit';

const NAME = ScorerName.JsonSchema;

/** Schema violations listed in details; the total is always given. */
const MAX_REPORTED_ERRORS = 20;

interface PreparedJsonSchema {
  validate: ValidateFunction;
  extractCodeBlock: boolean;
}

/**
 * Whether the output parses as JSON and conforms to the schema (ajv 8, all errors): 1 and passed, or 0 with the parse error
 * or every violation (`path` is a JSON pointer into the output). The schema is compiled once per config, and validation runs
 * under a time limit: a schema `pattern` can backtrack catastrophically like any regex.
 */
export class JsonSchemaScorer implements Scorer<typeof NAME, PreparedJsonSchema> {
  readonly name = NAME;

  prepare(config: JsonSchemaScorerConfig): PreparedJsonSchema {
    const compiled = compileJsonSchema(config.schema);
    if (!compiled.ok) throw new ScorerError(NAME, ScorerErrorCode.InvalidConfig, compiled.problems.join('; '));
    return { validate: compiled.value, extractCodeBlock: config.extract_code_block };
  }

  score(input: ScorerInput, { validate, extractCodeBlock }: PreparedJsonSchema): ScoreValue {
    const parsed = parseJsonOutput(input.output, extractCodeBlock);
    const fromCodeBlock = extractCodeBlock ? { from_code_block: parsed.fromCodeBlock } : {};
    if (!parsed.ok) return { value: 0, passed: false, details: { valid_json: false, error: parsed.error, ...fromCodeBlock } };
    let valid: boolean;
    try {
      valid = runWithTimeLimit(() => validate(parsed.value) as boolean);
    } catch (error) {
      if (error instanceof TimeLimitExceededError) {
        throw new ScorerError(NAME, ScorerErrorCode.TimeLimitExceeded, `validating the output ran over ${error.limitMs} ms`);
      }
      // e.g. a RangeError: a recursive schema on output nested deeper than the stack allows.
      throw new ScorerError(NAME, ScorerErrorCode.CheckFailed, `validating the output failed: ${(error as Error).message}`);
    }
    if (valid) return { value: 1, passed: true, details: { valid_json: true, ...fromCodeBlock } };
    const errors = validate.errors ?? [];
    return {
      value: 0,
      passed: false,
      details: {
        valid_json: true,
        ...fromCodeBlock,
        error_count: errors.length,
        errors: errors.slice(0, MAX_REPORTED_ERRORS).map((e) => ({ path: e.instancePath, keyword: e.keyword, message: e.message, params: e.params })),
      },
    };
  }
}
