import { judgeAnswer, NONSENSE_JUDGEMENT } from './judge-answer';

const prompt = (reference: string, response: string, scale = 'Grade on a scale from 1 to 10, where 10 is best.') =>
  `Rubric:\nNames the city.\n\n${scale}\n\n<reference>\n${reference}\n</reference>\n\n<response>\n${response}\n</response>`;

describe(judgeAnswer.name, () => {
  it('gives the top score when the response contains the reference, ignoring case and spacing', () => {
    expect(judgeAnswer('sim-judge', prompt('Paris', 'The capital is  PARIS.'))).toBe('Score: 10/10');
  });

  it('gives a low score otherwise, on the scale the prompt names', () => {
    expect(judgeAnswer('sim-judge', prompt('Paris', 'Lyon'))).toBe('Score: 2/10');
    expect(judgeAnswer('sim-judge', prompt('Paris', 'Paris', 'Grade on a scale from 0 to 5, where 5 is best.'))).toBe('Score: 5/5');
    expect(judgeAnswer('sim-judge', prompt('Paris', 'Lyon', 'Grade on a scale from 0 to 5, where 5 is best.'))).toBe('Score: 1/5');
  });

  it('answers without a score for the nonsense judge, or a prompt with nothing to grade', () => {
    expect(judgeAnswer('sim-judge-nonsense', prompt('Paris', 'Paris'))).toBe(NONSENSE_JUDGEMENT);
    expect(judgeAnswer('sim-judge', 'Grade this.')).not.toMatch(/\d/);
  });
});
