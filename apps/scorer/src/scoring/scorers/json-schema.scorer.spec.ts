import { JsonSchemaScorerConfig } from '@yardstick/contracts';
import { scoreWith, scorerErrorOf } from '../../../test/scorer-harness';
import { ScorerErrorCode } from '../scorer.error';
import { JsonSchemaScorer } from './json-schema.scorer';

function score(output: string, schema: object, options: object = {}) {
  return scoreWith(new JsonSchemaScorer(), { schema, ...options }, { output });
}

const person = {
  type: 'object',
  properties: { name: { type: 'string' }, age: { type: 'integer', minimum: 0 } },
  required: ['name', 'age'],
  additionalProperties: false,
};

describe(JsonSchemaScorer.name, () => {
  it('scores conforming JSON 1', () => {
    expect(score('{"name": "Ada", "age": 36}', person)).toEqual({ value: 1, passed: true, details: { valid_json: true } });
  });

  it('scores non-conforming JSON 0 and lists every violation', () => {
    const result = score('{"name": 5, "extra": true}', person);
    expect(result).toMatchObject({ value: 0, passed: false, details: { valid_json: true, error_count: 3 } });
    expect(result.details?.errors).toEqual(expect.arrayContaining([
      expect.objectContaining({ path: '', keyword: 'required', params: { missingProperty: 'age' } }),
      expect.objectContaining({ path: '', keyword: 'additionalProperties', params: { additionalProperty: 'extra' } }),
      expect.objectContaining({ path: '/name', keyword: 'type', message: 'must be string' }),
    ]));
  });

  it('scores invalid JSON 0 without validating', () => {
    expect(score('{"name": "Ada",', person)).toMatchObject({ value: 0, passed: false, details: { valid_json: false, error: expect.any(String) } });
    expect(score('', person).details).toMatchObject({ valid_json: false });
  });

  it('follows local $refs into $defs', () => {
    const schema = {
      type: 'object',
      properties: { home: { $ref: '#/$defs/address' }, work: { $ref: '#/$defs/address' } },
      $defs: { address: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
    };
    expect(score('{"home": {"city": "Paris"}, "work": {"city": "Lyon"}}', schema).value).toBe(1);
    expect(score('{"home": {"city": "Paris"}, "work": {}}', schema).details?.errors).toEqual([
      expect.objectContaining({ path: '/work', keyword: 'required' }),
    ]);
  });

  it('follows a recursive $ref', () => {
    const tree = {
      $ref: '#/$defs/node',
      $defs: { node: { type: 'object', properties: { name: { type: 'string' }, children: { type: 'array', items: { $ref: '#/$defs/node' } } }, required: ['name'] } },
    };
    expect(score('{"name": "a", "children": [{"name": "b", "children": [{"name": "c"}]}]}', tree).value).toBe(1);
    expect(score('{"name": "a", "children": [{"name": "b", "children": [{"name": 1}]}]}', tree).details?.errors).toEqual([
      expect.objectContaining({ path: '/children/0/children/0/name', keyword: 'type' }),
    ]);
  });

  it('validates draft-07 schemas that declare it, with definitions and tuple items', () => {
    const schema = {
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'array',
      items: [{ $ref: '#/definitions/label' }, { type: 'number' }],
      definitions: { label: { type: 'string' } },
    };
    expect(score('["x", 1]', schema).value).toBe(1);
    expect(score('[1, "x"]', schema).value).toBe(0);
  });

  it('treats format as an annotation: no format validators are installed', () => {
    expect(score('"not an email"', { type: 'string', format: 'email' }).value).toBe(1);
  });

  it('lists at most 20 violations but counts them all', () => {
    const schema = { type: 'array', items: { type: 'string' } };
    const result = score(JSON.stringify(Array.from({ length: 30 }, (_, i) => i)), schema);
    expect(result.details).toMatchObject({ error_count: 30 });
    expect(result.details?.errors).toHaveLength(20);
  });

  it('validates the first fenced code block with extract_code_block', () => {
    const output = 'Sure:\n```json\n{"name": "Ada", "age": 36}\n```';
    expect(score(output, person, { extract_code_block: true })).toEqual({
      value: 1, passed: true, details: { valid_json: true, from_code_block: true },
    });
  });

  it('validates a 100 KB document', () => {
    const output = JSON.stringify(Array.from({ length: 12_000 }, () => 'abcdefgh'));
    expect(output.length).toBeGreaterThan(100_000);
    expect(score(output, { type: 'array', items: { type: 'string', maxLength: 8 } }).value).toBe(1);
  });

  it('turns a catastrophic schema pattern into a scorer error within the time limit', () => {
    const error = scorerErrorOf(() => score(JSON.stringify(`${'a'.repeat(40)}!`), { type: 'string', pattern: '^(a+)+$' }));
    expect(error?.code).toBe(ScorerErrorCode.TimeLimitExceeded);
  });

  it('reports output nested deeper than a recursive schema can follow as a scorer error, not a 0', () => {
    const nested = { $ref: '#/$defs/list', $defs: { list: { type: 'array', items: { $ref: '#/$defs/list' } } } };
    const error = scorerErrorOf(() => score(`${'['.repeat(100_000)}${']'.repeat(100_000)}`, nested));
    expect(error?.code).toBe(ScorerErrorCode.CheckFailed);
  });

  it('refuses to prepare an invalid schema that reached it unchecked', () => {
    const config = Object.assign(new JsonSchemaScorerConfig(), { schema: { type: 'strin' } });
    expect(scorerErrorOf(() => new JsonSchemaScorer().prepare(config))?.code).toBe(ScorerErrorCode.InvalidConfig);
  });
});
