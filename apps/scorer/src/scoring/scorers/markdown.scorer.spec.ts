import { scoreWith } from '../../../test/scorer-harness';
import { MarkdownScorer } from './markdown.scorer';

function score(output: string, config: object) {
  return scoreWith(new MarkdownScorer(), config, { output });
}

const answer = ['# Steps', '', '1. Install', '2. Run:', '', '```bash', 'npm start', '```'].join('\n');

describe(MarkdownScorer.name, () => {
  it('scores 1 when every rule holds, with the counts in details', () => {
    expect(score(answer, { headers: { presence: 'required' }, list_items: { min_count: 2 }, code_blocks: { presence: 'required' } })).toEqual({
      value: 1, passed: true, details: { counts: { headers: 1, list_items: 2, code_blocks: 1 }, failed: [] },
    });
  });

  it('scores the share of rules satisfied and says which failed', () => {
    expect(score(answer, { headers: { presence: 'required' }, list_items: { min_count: 3 }, code_blocks: { presence: 'forbidden' } })).toEqual({
      value: 1 / 3,
      passed: false,
      details: {
        counts: { headers: 1, list_items: 2, code_blocks: 1 },
        failed: ['list_items: expected at least 3, found 2', 'code_blocks: expected none, found 1'],
      },
    });
  });

  it('satisfies forbidden rules and fails required ones on an empty output', () => {
    expect(score('', { headers: { presence: 'forbidden' } }).value).toBe(1);
    expect(score('', { headers: { presence: 'required' }, code_blocks: { presence: 'forbidden' } }).value).toBe(0.5);
  });

  it('takes min_count over presence "required"', () => {
    expect(score(answer, { headers: { presence: 'required', min_count: 2 } }).value).toBe(0);
  });

  it('handles a 100 KB output', () => {
    const output = '- item\n'.repeat(15_000);
    expect(score(output, { list_items: { min_count: 10_000 }, headers: { presence: 'forbidden' } })).toMatchObject({
      value: 1, details: { counts: { headers: 0, list_items: 15_000, code_blocks: 0 } },
    });
  });
});
