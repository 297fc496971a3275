/** Variables a prompt template may use. The ground-truth answer is deliberately not one of them. */
export const TEMPLATE_VARIABLES = ['question', 'category'] as const;
export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number];
export type TemplateValues = Record<TemplateVariable, string>;

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** Problems with a template, empty when it is valid: unknown variables, unbalanced braces, no `{{question}}`. */
export function templateProblems(template: string): string[] {
  const problems: string[] = [];
  const names = [...template.matchAll(PLACEHOLDER)].map((match) => match[1]);
  for (const name of names) {
    if (!(TEMPLATE_VARIABLES as readonly string[]).includes(name)) {
      problems.push(`unknown variable "{{${name}}}"; known: ${TEMPLATE_VARIABLES.map((v) => `{{${v}}}`).join(', ')}`);
    }
  }
  const leftover = template.replace(PLACEHOLDER, '');
  if (leftover.includes('{{') || leftover.includes('}}')) problems.push('unbalanced "{{" or "}}"');
  if (!names.includes('question')) problems.push('the template must use {{question}}');
  return problems;
}

export function renderPromptTemplate(template: string, values: TemplateValues): string {
  return template.replace(PLACEHOLDER, (_, name: string) => values[name as TemplateVariable] ?? '');
}
