import { renderPromptTemplate, templateProblems } from './prompt-template';

describe('prompt template', () => {
  it('renders question and category, with or without spaces inside the braces', () => {
    expect(renderPromptTemplate('Q: {{question}} ({{ category }})', { question: 'Why "x"?\n', category: 'cat' })).toBe('Q: Why "x"?\n (cat)');
  });

  it('does not re-expand braces that come from the values', () => {
    expect(renderPromptTemplate('{{question}}', { question: '{{category}}', category: 'no' })).toBe('{{category}}');
  });

  it('accepts a template that uses {{question}}', () => {
    expect(templateProblems('Answer briefly: {{ question }}')).toEqual([]);
  });

  it('names unknown variables such as the answer', () => {
    expect(templateProblems('{{question}} {{answer}}')).toEqual([expect.stringContaining('unknown variable "{{answer}}"')]);
  });

  it('rejects unbalanced braces and a template without the question', () => {
    expect(templateProblems('Hello {{ world')).toEqual(['unbalanced "{{" or "}}"', 'the template must use {{question}}']);
  });
});
