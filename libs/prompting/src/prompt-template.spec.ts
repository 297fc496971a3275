import { MAX_RENDERED_CHARS, renderPromptTemplate, TemplateRenderError, templateProblems } from './prompt-template';

const row = { question: 'Why "x"?\n', category: 'cat' };

describe('prompt template (sandboxed Nunjucks)', () => {
  it('renders question and category with Jinja2 syntax, without escaping HTML', () => {
    expect(renderPromptTemplate('Q: {{question}} ({{ category | upper }}) <b>&</b>', row)).toBe('Q: Why "x"?\n (CAT) <b>&</b>');
  });

  it('renders earlier stages\' outputs, conditions and loops', () => {
    const template = '{% if category %}[{{ category }}] {% endif %}{{ stages.extract.output | trim }}{% for w in ["a", "b"] %}-{{ w }}{% endfor %}';
    expect(renderPromptTemplate(template, { ...row, stages: { extract: { output: ' facts ' } } })).toBe('[cat] facts-a-b');
  });

  it('does not re-expand template syntax that comes from the values', () => {
    expect(renderPromptTemplate('{{question}}', { question: '{{category}}', category: 'no' })).toBe('{{category}}');
  });

  it('refuses at render time a value that is not there (throwOnUndefined)', () => {
    expect(() => renderPromptTemplate('{{ stages.extract.output }}', row)).toThrow(TemplateRenderError);
  });

  it.each([
    ["{{ ''.constructor.constructor('return process')() }}"],
    ["{{ range.constructor('return process')() }}"],
    ["{{ question.constructor.constructor('return process.env')() }}"],
    ["{{ __proto__.constructor }}"],
    ["{{ cycler('a') }}{{ joiner() }}"],
    ["{{ question['constr' ~ 'uctor'] }}"],
    ["{% include '/etc/passwd' %}"],
    ["{% extends 'base.html' %}"],
    ["{% import 'macros.html' as m %}"],
    ["{% macro m() %}x{% endmacro %}{{ m() }}"],
  ])('refuses the escape %s at render time, even without validation', (template) => {
    expect(() => renderPromptTemplate(template, row)).toThrow(TemplateRenderError);
  });

  it('stops a template whose output grows past the limit, quickly', () => {
    const output = 'x'.repeat(100);
    const template = '{% for a in stages.e.output | list %}{% for b in stages.e.output | list %}{{ stages.e.output }}{% endfor %}{% endfor %}';
    const started = Date.now();
    expect(() => renderPromptTemplate(template, { ...row, stages: { e: { output } } })).toThrow(`longer than ${MAX_RENDERED_CHARS}`);
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});

describe(templateProblems.name, () => {
  it('accepts a template that uses {{question}}', () => {
    expect(templateProblems('Answer briefly: {{ question }}')).toEqual([]);
  });

  it('names unknown variables such as the answer (the ground truth is not visible to prompts)', () => {
    expect(templateProblems('{{question}} {{answer}}')).toEqual([expect.stringContaining('unknown variable "answer"')]);
  });

  it('catches unknown variables in branches that a test render would not take', () => {
    expect(templateProblems('{{question}}{% if false %}{{ secret }}{% endif %}')).toEqual([expect.stringContaining('unknown variable "secret"')]);
  });

  it('accepts names the template binds itself', () => {
    expect(templateProblems('{% set q = question | upper %}{% for w in q | list %}{{ w }}{{ loop.index }}{% endfor %}')).toEqual([]);
  });

  it('reports a syntax error and a template without the question', () => {
    expect(templateProblems('Hello {{ world')).toEqual([expect.stringMatching(/^syntax error: /)]);
    expect(templateProblems('Hello')).toEqual(['the template must use {{question}}']);
  });

  it('names references to later, unknown and malformed stages', () => {
    const options = { earlierStages: ['extract'], laterStages: ['answer'] };
    expect(templateProblems('{{question}} {{ stages.answer.output }}', options)).toEqual([expect.stringContaining('stages.answer is a later stage')]);
    expect(templateProblems('{{question}} {{ stages.nope.output }}', options)).toEqual([expect.stringContaining('unknown stage "stages.nope"')]);
    expect(templateProblems('{{question}} {{ stages.extract.text }}', options)).toEqual([expect.stringContaining('use stages.extract.output')]);
    expect(templateProblems('{{question}} {{ stages.extract.output }}', options)).toEqual([]);
  });

  it('names sandbox violations: calls, prototype keys, computed keys, unsafe filters, deep loops', () => {
    expect(templateProblems("{{ question }}{{ ''.constructor.constructor('return process')() }}"))
      .toEqual(expect.arrayContaining(['function calls are not allowed (use filters)', 'the key "constructor" may not be looked up']));
    expect(templateProblems('{{ question[category] }}')).toEqual([expect.stringContaining('only literal keys')]);
    expect(templateProblems('{{ question | indent(1000000) }}')).toEqual(['filter "indent" is not allowed']);
    expect(templateProblems('{{ question }}{% for a in "ab" | list %}{% for b in "ab" | list %}{% for c in "ab" | list %}{% endfor %}{% endfor %}{% endfor %}'))
      .toEqual(['for loops may nest at most 2 deep']);
  });
});
