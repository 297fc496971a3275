import { parseJudgeScore } from './judge-answer.parser';

describe(parseJudgeScore.name, () => {
  it.each([
    ['7', 7],
    ['7.', 7],
    ['7/10', 7],
    ['7 / 10', 7],
    ['Score: 7', 7],
    ['score = 7', 7],
    ['Score - 7', 7],
    ["I'd say 7/10", 7],
    ['**8**/10', 8],
    ['Score: **8**', 8],
    ['`9`', 9],
    ['Rating: 7 out of 10', 7],
    ['Score: 7/10\nThe answer is right but terse.', 7],
    ['The answer names 1889 correctly. Score: 9/10', 9],
    ['Score: 6. It misses 2 of the 3 points.', 6],
    ['I give it a 4.', 4],
    ['7.5/10', 7.5],
    ['10/10', 10],
    ['1/10', 1],
    ['Score: 7/10 (7 out of 10)', 7],
    ['gpt-4 would say: 5', 5],
  ])('reads %j on the 1-10 scale as %d', (answer, score) => {
    expect(parseJudgeScore(answer, '1-10')).toEqual({ ok: true, score, value: (score - 1) / 9 });
  });

  it('normalises the ends of each scale to 0 and 1', () => {
    expect(parseJudgeScore('1', '1-10')).toMatchObject({ value: 0 });
    expect(parseJudgeScore('10', '1-10')).toMatchObject({ value: 1 });
    expect(parseJudgeScore('Score: 0/5', '0-5')).toMatchObject({ value: 0 });
    expect(parseJudgeScore('5 out of 5', '0-5')).toMatchObject({ value: 1 });
    expect(parseJudgeScore('Score: 3', '0-5')).toMatchObject({ score: 3, value: 0.6 });
  });

  it.each([
    ['', 'answered nothing'],
    ['   ', 'answered nothing'],
    ['The weather is lovely today.', 'no score found'],
    ['Excellent answer!', 'no score found'],
    ['Score: 7/10. On reflection, 8/10.', 'ambiguous'],
    ['Somewhere between 6 and 8', 'ambiguous'],
    ['7-8', 'ambiguous'],
    ['Score: 11', 'outside the 1-10 scale'],
    ['0/10', 'outside the 1-10 scale'],
    ['-3', 'outside the 1-10 scale'],
    ['The Eiffel Tower was finished in 1889.', 'outside the 1-10 scale'],
    ['8/5', 'not on the 1-10 scale'],
  ])('refuses %j (%s)', (answer, reason) => {
    const parsed = parseJudgeScore(answer, '1-10');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toContain(reason);
  });

  it('refuses a score over another scale instead of rescaling it', () => {
    expect(parseJudgeScore('7/10', '0-5')).toEqual({ ok: false, reason: 'the judge scored 7/10, not on the 0-5 scale' });
    expect(parseJudgeScore('Score: 6', '0-5')).toMatchObject({ ok: false, reason: 'the judge scored 6, outside the 0-5 scale' });
  });
});
