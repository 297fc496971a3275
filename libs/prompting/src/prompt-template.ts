import { Environment, Template } from 'nunjucks';
import { CONTEXT_VARIABLES, inspectTemplate } from './template-sandbox';

/** Longest template accepted (characters). */
export const MAX_TEMPLATE_CHARS = 50_000;
/** Longest rendered prompt (characters): a template that expands past it fails to render. */
export const MAX_RENDERED_CHARS = 200_000;

/** What a template sees: the dataset row (never its ground-truth answer) and earlier pipeline stages' outputs. */
export interface TemplateContext {
  question: string;
  category: string;
  stages?: Record<string, { output: string }>;
}

/** A template that cannot render (syntax, sandbox rule, unknown value, output too long): permanent for that template. */
export class TemplateRenderError extends Error {}

/**
 * Jinja2 syntax, autoescape off. Sandboxed: no loaders (no include/import/extends can reach a file), no globals
 * (`range`, `cycler`, `joiner` removed), and every template must pass `inspectTemplate` (no calls, literal lookups only,
 * no prototype keys, allow-listed filters, bounded loop nesting) before it is compiled.
 */
function sandboxedEnvironment(): Environment {
  const env = new Environment([], { autoescape: false, throwOnUndefined: true });
  (env as unknown as { globals: Record<string, unknown> }).globals = Object.create(null) as Record<string, unknown>;
  return env;
}

const environment = sandboxedEnvironment();
const COMPILED_CACHE_SIZE = 256;
const compiled = new Map<string, Template>();

function compile(template: string): Template {
  const cached = compiled.get(template);
  if (cached) return cached;
  if (template.length > MAX_TEMPLATE_CHARS) throw new TemplateRenderError(`the template is longer than ${MAX_TEMPLATE_CHARS} characters`);
  let violations: string[];
  try {
    violations = inspectTemplate(template).violations;
  } catch (error) {
    throw new TemplateRenderError(`syntax error: ${messageOf(error)}`);
  }
  if (violations.length) throw new TemplateRenderError(violations.join('; '));
  const result = new Template(template, environment, undefined, true);
  if (compiled.size >= COMPILED_CACHE_SIZE) compiled.delete(compiled.keys().next().value as string);
  compiled.set(template, result);
  return result;
}

/** Renders a template in the sandbox; throws TemplateRenderError when it cannot. */
export function renderPromptTemplate(template: string, context: TemplateContext): string {
  const compiledTemplate = compile(template);
  const data = {
    question: context.question,
    category: context.category,
    stages: Object.fromEntries(Object.entries(context.stages ?? {}).map(([name, stage]) => [name, { output: stage.output }])),
  };
  let output: string;
  try {
    output = compiledTemplate.render(data);
  } catch (error) {
    throw new TemplateRenderError(messageOf(error));
  }
  if (output.length > MAX_RENDERED_CHARS) throw new TemplateRenderError(`the rendered prompt is longer than ${MAX_RENDERED_CHARS} characters`);
  return output;
}

export interface TemplateCheckOptions {
  /** Stages this template may read (`stages.<name>.output`). */
  earlierStages?: string[];
  /** Stages that run after this one: named in the error when referenced. */
  laterStages?: string[];
  /** The template must read `question` (default true). */
  requireQuestion?: boolean;
}

/** Problems with a template, empty when it is valid: syntax, sandbox rules, unknown variables or stages, a failed test render. */
export function templateProblems(template: string, options: TemplateCheckOptions = {}): string[] {
  const earlier = options.earlierStages ?? [];
  if (template.length > MAX_TEMPLATE_CHARS) return [`the template is longer than ${MAX_TEMPLATE_CHARS} characters`];
  let inspected: ReturnType<typeof inspectTemplate>;
  try {
    inspected = inspectTemplate(template);
  } catch (error) {
    return [`syntax error: ${messageOf(error)}`];
  }
  const problems = [...inspected.violations];
  const known = [...CONTEXT_VARIABLES.filter((v) => v !== 'stages'), ...earlier.map((s) => `stages.${s}.output`)];
  for (const name of inspected.refs.variables) {
    if (!(CONTEXT_VARIABLES as readonly string[]).includes(name)) {
      problems.push(`unknown variable "${name}"; known: ${known.join(', ')}`);
    }
  }
  for (const ref of inspected.refs.stageRefs) {
    if (options.laterStages?.includes(ref.stage)) {
      problems.push(`stages.${ref.stage} is a later stage; a stage may only use the outputs of earlier stages`);
    } else if (!earlier.includes(ref.stage)) {
      problems.push(`unknown stage "stages.${ref.stage}"${earlier.length ? `; earlier stages: ${earlier.join(', ')}` : '; no earlier stage exists'}`);
    } else if (ref.member !== null && ref.member !== 'output') {
      problems.push(`stages.${ref.stage}.${ref.member} does not exist; use stages.${ref.stage}.output`);
    }
  }
  if ((options.requireQuestion ?? true) && !inspected.refs.variables.has('question')) problems.push('the template must use {{question}}');
  if (problems.length) return [...new Set(problems)];
  try {
    renderPromptTemplate(template, {
      question: 'sample question', category: 'sample category',
      stages: Object.fromEntries(earlier.map((s) => [s, { output: `sample output of ${s}` }])),
    });
  } catch (error) {
    return [`test render failed: ${messageOf(error)}`];
  }
  return [];
}

function messageOf(error: unknown): string {
  // nunjucks prefixes its messages with "(unknown path)" and a newline; keep the part that names the problem.
  return (error instanceof Error ? error.message : String(error)).replace(/^\(unknown path\)\s*/, '').replace(/\s+/g, ' ').trim();
}
