import { scoreWith } from '../../../test/scorer-harness';
import { JsonValidScorer } from './json-valid.scorer';

function score(output: string, config?: object) {
  return scoreWith(new JsonValidScorer(), config, { output });
}

describe(JsonValidScorer.name, () => {
  it('scores any JSON text 1, surrounding whitespace allowed', () => {
    for (const output of ['{"a":1}', '[1, 2]', '"text"', '3.5', 'null', '  {"a": 1}\n']) {
      expect(score(output)).toEqual({ value: 1, passed: true, details: {} });
    }
  });

  it('scores invalid JSON 0 with the parse error', () => {
    const result = score('{a: 1}');
    expect(result).toMatchObject({ value: 0, passed: false });
    expect(result.details?.error).toEqual(expect.stringMatching(/JSON/));
  });

  it('scores an empty output, NaN and a trailing comma 0', () => {
    for (const output of ['', 'NaN', '[1, 2,]', '{"a": 1} trailing']) expect(score(output).value).toBe(0);
  });

  it('parses the first fenced code block with extract_code_block', () => {
    const output = 'Here you go:\n```json\n{"city": "Paris"}\n```\nAnd another:\n```\nnot json\n```';
    expect(score(output).value).toBe(0);
    expect(score(output, { extract_code_block: true })).toEqual({ value: 1, passed: true, details: { from_code_block: true } });
  });

  it('parses the whole output when extract_code_block finds no block', () => {
    expect(score('{"a": 1}', { extract_code_block: true })).toEqual({ value: 1, passed: true, details: { from_code_block: false } });
  });

  it('accepts unicode and escapes', () => {
    expect(score('{"city": "東京", "emoji": "😀", "escaped": "\\u00e9\\ud83d\\ude00"}').value).toBe(1);
  });

  it('parses a 100 KB document and deeply nested arrays', () => {
    const big = JSON.stringify(Array.from({ length: 10_000 }, (_, i) => ({ i })));
    expect(big.length).toBeGreaterThan(100_000);
    expect(score(big).value).toBe(1);
    expect(score(`${'['.repeat(100_000)}${']'.repeat(100_000)}`).value).toBe(1);
  });

  it('keeps the parse error of a huge invalid output short', () => {
    const result = score(`{"a": "${'x'.repeat(200_000)}`);
    expect(result.value).toBe(0);
    expect(String(result.details?.error).length).toBeLessThanOrEqual(300);
  });
});
