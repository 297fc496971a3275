import {
  MAX_SCORER_CONFIG_CHARS, parseScorerConfig, scorerConfigProblems, ScorerName, scorerSpecsProblems,
} from '@yardstick/contracts';
import { ScriptedJudge } from '../../test/scripted-judge';
import { createScorers } from './scorer.registry';

const SCORERS = createScorers({ judge: new ScriptedJudge() });

// The config checks live in @yardstick/contracts (the gateway runs them when a run is created); they are specified here,
// beside the scorers whose run-time behaviour they must agree with.

const VALID: { [N in ScorerName]: object[] } = {
  [ScorerName.CosineSimilarity]: [{}, { threshold: 0.8 }],
  [ScorerName.ExactMatch]: [{}, { unicode_nfkc: true, case_sensitive: false, strip_punctuation: true, collapse_whitespace: true, trim: false }],
  [ScorerName.Contains]: [{ substring: 'Paris' }, { substring: ['Paris', 'France'], match: 'any', case_sensitive: false }],
  [ScorerName.Keywords]: [{ required_present: ['Paris'] }, { required_absent: ['sorry'], case_sensitive: false }],
  [ScorerName.Regex]: [{ pattern: '\\d+' }, { pattern: '^\\p{Lu}', flags: 'imsu', must_match: false }],
  [ScorerName.JsonValid]: [{}, { extract_code_block: true }],
  [ScorerName.JsonSchema]: [
    { schema: { type: 'object' } },
    { schema: { $schema: 'https://json-schema.org/draft/2020-12/schema', $defs: { a: { type: 'string' } }, $ref: '#/$defs/a' } },
    { schema: { $schema: 'https://json-schema.org/draft/2019-09/schema', type: 'string' } },
    { schema: { $schema: 'http://json-schema.org/draft-07/schema#', type: 'string' }, extract_code_block: true },
  ],
  [ScorerName.Length]: [{ min: 1 }, { max: 100 }, { unit: 'tokens', min: 0, max: 1 }, { min: 5, max: 5 }],
  [ScorerName.Markdown]: [{ headers: { presence: 'required' } }, { list_items: { min_count: 3 }, code_blocks: { presence: 'forbidden' } }],
  [ScorerName.LlmJudge]: [
    { rubric: 'Names the right city.', model: 'sim-judge' },
    {
      rubric: 'Correct and concise.', model: 'gpt-4o-mini', scale: '0-5', provider_endpoint_id: '00000000-0000-4000-8000-000000000009',
      temperature: 0.2, max_output_tokens: 20, threshold: 0.7,
    },
  ],
};

function problems(name: ScorerName, config: unknown): string[] {
  return scorerConfigProblems(name, config);
}

describe('scorer configs', () => {
  describe.each(Object.values(ScorerName))('%s', (name) => {
    it('accepts its valid configs, and the scorer can prepare each one', () => {
      for (const config of VALID[name]) {
        const parsed = parseScorerConfig(name, config);
        expect(parsed).toMatchObject({ ok: true });
        if (parsed.ok) expect(() => SCORERS[name].prepare(parsed.value as never)).not.toThrow();
      }
    });

    it('rejects an unknown option by name', () => {
      expect(problems(name, { ...VALID[name][0], case_insensitive: true })).toContain(
        'config.case_insensitive: property case_insensitive should not exist',
      );
    });

    it('rejects a config that is not an object', () => {
      for (const config of [[], 'x', 3]) expect(problems(name, config)).toEqual(['config: must be a JSON object']);
    });
  });

  it('fills in defaults, and treats an absent config as all defaults', () => {
    expect(parseScorerConfig(ScorerName.ExactMatch, undefined)).toEqual({
      ok: true, value: { unicode_nfkc: false, case_sensitive: true, strip_punctuation: false, collapse_whitespace: false, trim: true },
    });
    expect(parseScorerConfig(ScorerName.Regex, { pattern: 'a' })).toMatchObject({ ok: true, value: { pattern: 'a', flags: '', must_match: true } });
    expect(parseScorerConfig(ScorerName.LlmJudge, { rubric: 'r', model: 'm' })).toEqual({
      ok: true, value: { rubric: 'r', model: 'm', scale: '1-10', temperature: 0 },
    });
  });

  it('rejects an unknown scorer by name', () => {
    expect(scorerConfigProblems('bleu', {})).toEqual(['name: unknown scorer "bleu"']);
  });

  it('rejects a config too large to send with every item', () => {
    const huge = { substring: Array.from({ length: 100 }, () => 'x'.repeat(1_000)) };
    expect(problems(ScorerName.Contains, huge)).toEqual([
      expect.stringMatching(new RegExp(`^config: is \\d+ characters of JSON, over the limit of ${MAX_SCORER_CONFIG_CHARS}$`)),
    ]);
  });

  it.each<[string, ScorerName, object, string]>([
    ['a wrongly typed option', ScorerName.ExactMatch, { case_sensitive: 'no' }, 'config.case_sensitive: case_sensitive must be a boolean value'],
    ['a threshold above 1', ScorerName.CosineSimilarity, { threshold: 1.5 }, 'config.threshold: threshold must not be greater than 1'],
    ['a missing substring', ScorerName.Contains, {}, 'config.substring: substring must be a non-empty string'],
    ['an empty substring', ScorerName.Contains, { substring: '' }, 'config.substring: substring must be a non-empty string'],
    ['an empty substring list', ScorerName.Contains, { substring: [] }, 'config.substring: substring must be a non-empty string'],
    ['a non-string in the list', ScorerName.Contains, { substring: ['a', 1] }, 'config.substring: substring must be a non-empty string'],
    ['an unknown match mode', ScorerName.Contains, { substring: 'a', match: 'most' }, 'config.match: match must be one of the following values: all, any'],
    ['no keywords at all', ScorerName.Keywords, {}, 'config.required_present: required_present or required_absent must list at least one term'],
    ['an empty keyword', ScorerName.Keywords, { required_present: [''] }, 'config.required_present: each value in required_present should not be empty'],
    ['keywords that are not a list', ScorerName.Keywords, { required_absent: 'sorry' }, 'config.required_absent: required_absent must be an array'],
    ['a keyword listed twice', ScorerName.Keywords, { required_present: ['Paris', 'paris'], case_sensitive: false }, 'config.required_present: "paris" is listed more than once'],
    ['a keyword both required and forbidden', ScorerName.Keywords, { required_present: ['a'], required_absent: ['a'] }, 'config.required_absent: "a" is also in required_present'],
    ['a missing pattern', ScorerName.Regex, {}, 'config.pattern: pattern must be a string'],
    ['an empty pattern', ScorerName.Regex, { pattern: '' }, 'config.pattern: pattern must be longer than or equal to 1 characters'],
    ['a pattern over 500 characters', ScorerName.Regex, { pattern: 'a'.repeat(501) }, 'config.pattern: pattern must be shorter than or equal to 500 characters'],
    ['an invalid pattern', ScorerName.Regex, { pattern: '(unclosed' }, 'config.pattern: Invalid regular expression: /(unclosed/: Unterminated group'],
    ['a pattern only the u flag rejects', ScorerName.Regex, { pattern: '\\p{Nope}', flags: 'u' }, 'config.pattern: Invalid regular expression: /\\p{Nope}/u: Invalid property name'],
    ['the stateful g flag', ScorerName.Regex, { pattern: 'a', flags: 'g' }, 'config.flags: flags may only use i, m, s, u (g and y make matching stateful)'],
    ['the stateful y flag', ScorerName.Regex, { pattern: 'a', flags: 'iy' }, 'config.flags: flags may only use i, m, s, u (g and y make matching stateful)'],
    ['a repeated flag', ScorerName.Regex, { pattern: 'a', flags: 'ii' }, 'config.flags: "ii" repeats a flag'],
    ['must_match that is not a boolean', ScorerName.Regex, { pattern: 'a', must_match: 'yes' }, 'config.must_match: must_match must be a boolean value'],
    ['a missing schema', ScorerName.JsonSchema, {}, 'config.schema: schema must be an object'],
    ['a schema that is a list', ScorerName.JsonSchema, { schema: [] }, 'config.schema: schema must be an object'],
    ['an invalid schema', ScorerName.JsonSchema, { schema: { type: 'strin' } }, 'config.schema: schema is invalid: data/type must be equal to one of the allowed values'],
    ['a misspelt schema keyword', ScorerName.JsonSchema, { schema: { type: 'object', requird: ['a'] } }, 'config.schema: strict mode: unknown keyword: "requird"'],
    ['a $ref to a missing definition', ScorerName.JsonSchema, { schema: { $ref: '#/$defs/missing' } }, 'config.schema: can\'t resolve reference #/$defs/missing'],
    ['a remote $ref', ScorerName.JsonSchema, { schema: { $ref: 'https://example.com/schema.json' } }, 'config.schema: can\'t resolve reference https://example.com/schema.json'],
    ['an unsupported dialect', ScorerName.JsonSchema, { schema: { $schema: 'http://json-schema.org/draft-04/schema#' } }, 'config.schema.$schema: "http://json-schema.org/draft-04/schema#" is not supported; use 2020-12, 2019-09 or draft-07'],
    ['an $async schema', ScorerName.JsonSchema, { schema: { $async: true, type: 'string' } }, 'config.schema: $async schemas are not supported'],
    ['an invalid pattern inside the schema', ScorerName.JsonSchema, { schema: { type: 'string', pattern: '((' } }, 'config.schema: Invalid regular expression'],
    ['neither min nor max', ScorerName.Length, {}, 'config.min: set min, max or both'],
    ['min above max', ScorerName.Length, { min: 10, max: 5 }, 'config.max: must be at least min (10), is 5'],
    ['an unknown unit', ScorerName.Length, { unit: 'words', max: 5 }, 'config.unit: unit must be one of the following values: characters, tokens'],
    ['a fractional min', ScorerName.Length, { min: 1.5 }, 'config.min: min must be an integer number'],
    ['a max of 0', ScorerName.Length, { max: 0 }, 'config.max: max must not be less than 1'],
    ['no markdown element', ScorerName.Markdown, {}, 'config: configure at least one of headers, list_items, code_blocks'],
    ['an element rule without a rule', ScorerName.Markdown, { headers: {} }, 'config.headers: set presence or min_count'],
    ['a forbidden element with a min_count', ScorerName.Markdown, { code_blocks: { presence: 'forbidden', min_count: 1 } }, 'config.code_blocks.min_count: contradicts presence "forbidden"'],
    ['an unknown presence', ScorerName.Markdown, { headers: { presence: 'optional' } }, 'config.headers.presence: presence must be one of the following values: required, forbidden'],
    ['a min_count of 0', ScorerName.Markdown, { list_items: { min_count: 0 } }, 'config.list_items.min_count: min_count must not be less than 1'],
    ['an element rule that is not an object', ScorerName.Markdown, { headers: 'required' }, 'config.headers: nested property headers must be either object or array'],
    ['an unknown element', ScorerName.Markdown, { tables: { presence: 'required' } }, 'config.tables: property tables should not exist'],
    ['a judge without a rubric', ScorerName.LlmJudge, { model: 'sim-judge' }, 'config.rubric: rubric must be a string'],
    ['an empty rubric', ScorerName.LlmJudge, { rubric: '', model: 'sim-judge' }, 'config.rubric: rubric should not be empty'],
    ['a rubric over 8000 characters', ScorerName.LlmJudge, { rubric: 'r'.repeat(8_001), model: 'sim-judge' }, 'config.rubric: rubric must be shorter than or equal to 8000 characters'],
    ['a judge without a model', ScorerName.LlmJudge, { rubric: 'r' }, 'config.model: model must be a string'],
    ['an unknown judge scale', ScorerName.LlmJudge, { rubric: 'r', model: 'm', scale: '1-5' }, 'config.scale: scale must be one of the following values: 1-10, 0-5'],
    ['a judge endpoint that is not a UUID', ScorerName.LlmJudge, { rubric: 'r', model: 'm', provider_endpoint_id: 'openai' }, 'config.provider_endpoint_id: provider_endpoint_id must be a UUID'],
    ['a judge temperature above 2', ScorerName.LlmJudge, { rubric: 'r', model: 'm', temperature: 3 }, 'config.temperature: temperature must not be greater than 2'],
    ['a judge threshold above 1', ScorerName.LlmJudge, { rubric: 'r', model: 'm', threshold: 7 }, 'config.threshold: threshold must not be greater than 1'],
  ])('rejects %s with one message naming the field', (_case, name, config, expected) => {
    expect(problems(name, config)).toEqual([expect.stringContaining(expected)]);
  });

  describe(scorerSpecsProblems.name, () => {
    it('prefixes each problem with the scorer\'s index and rejects a scorer listed twice', () => {
      expect(scorerSpecsProblems([
        { name: ScorerName.CosineSimilarity },
        { name: ScorerName.Regex, config: { pattern: '(' } },
        { name: ScorerName.CosineSimilarity, config: { threshold: 0.5 } },
      ])).toEqual([
        'scorers[1].config.pattern: Invalid regular expression: /(/: Unterminated group',
        'scorers[2].name: cosine_similarity is listed more than once',
      ]);
    });

    it('finds nothing wrong with valid specs', () => {
      expect(scorerSpecsProblems([{ name: ScorerName.CosineSimilarity }, { name: ScorerName.Length, config: { max: 10 } }])).toEqual([]);
    });
  });
});
