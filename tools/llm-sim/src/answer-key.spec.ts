import { AnswerKey } from './answer-key';
import { parseAnswerKeyCsv } from './answer-key.loader';

describe(AnswerKey.name, () => {
  it('finds a question contained in a longer prompt', () => {
    const sut = new AnswerKey([{ question: 'What is the capital of France?', answer: 'Paris' }]);
    expect(sut.findQuestion('Answer briefly.\nWhat is the capital of France?\nThanks')).toBe('What is the capital of France?');
    expect(sut.answerFor('What is the capital of France?')).toBe('Paris');
  });

  it('picks the longest question when several match', () => {
    const sut = new AnswerKey([
      { question: 'What is 2+2?', answer: '4' },
      { question: 'Q: What is 2+2? Show work.', answer: 'four' },
      { question: '2+2', answer: 'x' },
    ]);
    expect(sut.findQuestion('Please. Q: What is 2+2? Show work.')).toBe('Q: What is 2+2? Show work.');
    expect(sut.findQuestion('so 2+2 then')).toBe('2+2');
  });

  it('trims questions and answers and skips blank questions', () => {
    const sut = new AnswerKey([
      { question: '  Who wrote Hamlet?  ', answer: ' Shakespeare ' },
      { question: '   ', answer: 'ignored' },
    ]);
    expect(sut.size).toBe(1);
    expect(sut.findQuestion('Who wrote Hamlet?')).toBe('Who wrote Hamlet?');
    expect(sut.answerFor('Who wrote Hamlet?')).toBe('Shakespeare');
  });

  it('returns undefined when no question occurs in the prompt', () => {
    const sut = new AnswerKey([{ question: 'What is the capital of France?', answer: 'Paris' }]);
    expect(sut.findQuestion('what is the capital of france?')).toBeUndefined();
    expect(new AnswerKey().findQuestion('anything')).toBeUndefined();
  });

  it('sees added items and forgets replaced ones', () => {
    const sut = new AnswerKey([{ question: 'first question', answer: 'a' }]);
    expect(sut.findQuestion('the first question')).toBe('first question');
    sut.add([{ question: 'second question', answer: 'b' }]);
    expect(sut.findQuestion('the second question')).toBe('second question');
    sut.replace([{ question: 'third question', answer: 'c' }]);
    expect(sut.findQuestion('the first question')).toBeUndefined();
    expect(sut.answerList()).toEqual(['c']);
  });
});

describe('parseAnswerKeyCsv', () => {
  it('reads question and answer columns with any header case, quoting and a BOM', () => {
    const csv = '\uFEFFid,Question,ANSWER\n1,"What is 1,000 + 1?",1001\n2,"Say ""hi""",hi\n';
    expect(parseAnswerKeyCsv(csv)).toEqual([
      { question: 'What is 1,000 + 1?', answer: '1001' },
      { question: 'Say "hi"', answer: 'hi' },
    ]);
  });

  it('rejects a CSV without question and answer columns', () => {
    expect(() => parseAnswerKeyCsv('prompt,expected\na,b\n')).toThrow(/question/);
    expect(() => parseAnswerKeyCsv('')).toThrow(/question/);
  });
});
