import { AnswerKey } from './answer-key';
import { genericAnswer, selectAnswer, wrongAnswer } from './answer-selector';

const items = Array.from({ length: 300 }, (_, i) => ({ question: `Question ${i}: what is stored in box ${i}?`, answer: `item-${i}` }));
const key = new AnswerKey(items);
const ask = (i: number, model = 'sim-large', temperature: number | null = null) => ({
  prompt: `Answer with one word.\n${items[i].question}`,
  model,
  temperature,
  requestSeed: null,
});

describe('selectAnswer', () => {
  it('answers every known question correctly at accuracy 1 and never at accuracy 0', () => {
    for (let i = 0; i < 50; i++) {
      expect(selectAnswer(key, ask(i), 1, 0)).toEqual({ text: `item-${i}`, question: items[i].question, correct: true });
      const wrong = selectAnswer(key, ask(i), 0, 0);
      expect(wrong.correct).toBe(false);
      expect(wrong.text).not.toBe(`item-${i}`);
      expect(wrong.text).toMatch(/^item-\d+$/);
    }
  });

  it('is correct at a rate close to the accuracy', () => {
    const correct = items.filter((_, i) => selectAnswer(key, ask(i), 0.7, 0).correct).length;
    expect(correct / items.length).toBeGreaterThan(0.6);
    expect(correct / items.length).toBeLessThan(0.8);
  });

  it('repeats the same decision for the same request and varies it with the seeds', () => {
    const decisions = (seed: number, temperature: number | null) =>
      items.map((_, i) => selectAnswer(key, ask(i, 'sim-small', temperature), 0.5, seed).text);
    expect(decisions(1, null)).toEqual(decisions(1, null));
    expect(decisions(1, null)).not.toEqual(decisions(2, null));
    expect(decisions(1, 0.2)).not.toEqual(decisions(1, 0.9));
  });

  it('gives a generic answer derived from the prompt when no question matches', () => {
    const request = { prompt: 'Describe the migration of arctic terns', model: 'm', temperature: null, requestSeed: null };
    const answer = selectAnswer(key, request, 1, 0);
    expect(answer.correct).toBeUndefined();
    expect(answer.text).toMatch(/describe|migration|arctic|terns/);
    expect(selectAnswer(key, request, 1, 0)).toEqual(answer);
  });
});

describe('wrongAnswer', () => {
  it('prefers another item answer that differs from the correct one', () => {
    expect(wrongAnswer('Paris', ['Paris', 'paris ', 'Berlin'], [1])).toBe('Berlin');
  });

  it('rephrases when no other answer differs', () => {
    expect(wrongAnswer('42', ['42'], [1])).toMatch(/^\d+$/);
    expect(wrongAnswer('42', ['42'], [1])).not.toBe('42');
    expect(wrongAnswer('3.5', ['3.5'], [1])).toMatch(/^\d+\.\d$/);
    expect(wrongAnswer('Yes', ['Yes'], [1])).toBe('No');
    const statement = wrongAnswer('Paris', ['Paris'], [1]);
    expect(statement.toLowerCase()).not.toContain('paris');
    expect(statement.length).toBeGreaterThan(0);
  });
});

describe('genericAnswer', () => {
  it('handles a prompt without words', () => {
    expect(genericAnswer('?!', [0])).toMatch(/not enough/);
  });
});
