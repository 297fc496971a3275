import * as nunjucks from 'nunjucks';

/** Names a template may read from its context; `loop` is nunjucks' own loop variable. */
export const CONTEXT_VARIABLES = ['question', 'category', 'stages'] as const;
const BUILTIN_NAMES = new Set<string>(['loop']);

/** Filters without amplification knobs (no `indent(1e9)`, `center`, `batch`): output stays proportional to the input. */
export const ALLOWED_FILTERS = new Set<string>([
  'upper', 'lower', 'capitalize', 'title', 'trim', 'striptags', 'length', 'wordcount', 'default', 'd', 'join', 'first',
  'last', 'reverse', 'sort', 'list', 'string', 'int', 'float', 'abs', 'round', 'replace', 'truncate', 'safe', 'dump', 'nl2br',
]);

/** Keys that lead from data to functions or prototypes: never looked up, whatever the object. */
const FORBIDDEN_KEYS = new Set<string>(['constructor', '__proto__', 'prototype', '__defineGetter__', '__defineSetter__',
  '__lookupGetter__', '__lookupSetter__']);

/** Deeper `for` nesting could multiply output (and render time) beyond any bound worth paying for. */
export const MAX_LOOP_DEPTH = 2;

/** Tags and expressions that could reach code, files or other templates: refused before anything renders. */
const FORBIDDEN_NODES: Record<string, string> = {
  FunCall: 'function calls are not allowed (use filters)',
  Macro: 'macros are not allowed',
  Caller: 'call blocks are not allowed',
  Import: 'imports are not allowed',
  FromImport: 'imports are not allowed',
  Include: 'includes are not allowed',
  Extends: 'extends is not allowed',
  Block: 'blocks are not allowed',
  Super: 'super() is not allowed',
  CallExtension: 'extensions are not allowed',
  CallExtensionAsync: 'extensions are not allowed',
  FilterAsync: 'async filters are not allowed',
  AsyncEach: 'asyncEach is not allowed',
  AsyncAll: 'asyncAll is not allowed',
};

/** What a template reads, found by walking its syntax tree. */
export interface TemplateReferences {
  /** Top-level names read and not bound by the template itself (`for`/`set`). */
  variables: Set<string>;
  /** `x` of every `stages.x` / `stages['x']`, with the member read after it (`output`), or null when none. */
  stageRefs: Array<{ stage: string; member: string | null }>;
}

/** The parts of nunjucks' syntax tree we read (the parser is public in nunjucks but untyped in @types/nunjucks). */
interface TemplateNode {
  typename: string;
  fields: string[];
  [field: string]: unknown;
}
const nunjucksParser = (nunjucks as unknown as { parser: { parse(src: string, extensions: unknown[], opts: object): TemplateNode } }).parser;

function isNode(value: unknown): value is TemplateNode {
  return typeof value === 'object' && value !== null && typeof (value as TemplateNode).typename === 'string';
}

function literalKey(node: unknown): string | null {
  if (!isNode(node) || node.typename !== 'Literal') return null;
  return typeof node.value === 'string' || typeof node.value === 'number' ? String(node.value) : null;
}

function isStagesSymbol(node: unknown): boolean {
  return isNode(node) && node.typename === 'Symbol' && node.value === 'stages';
}

function symbolsIn(node: unknown): string[] {
  if (!isNode(node)) return [];
  if (node.typename === 'Symbol') return [node.value as string];
  return Array.isArray(node.children) ? node.children.flatMap(symbolsIn) : [];
}

/**
 * Parses a template and checks it against the sandbox rules. Throws on a syntax error; returns the rule violations
 * (empty when the template may render) and what it references.
 */
export function inspectTemplate(template: string): { violations: string[]; refs: TemplateReferences } {
  const root = nunjucksParser.parse(template, [], {});
  const violations = new Set<string>();
  const read = new Set<string>();
  const bound = new Set<string>();
  const stageRefs: TemplateReferences['stageRefs'] = [];

  const visitFields = (node: TemplateNode, loopDepth: number, skip: string[] = []): void => {
    for (const field of node.fields) {
      if (skip.includes(field)) continue;
      const value = node[field];
      if (Array.isArray(value)) value.forEach((child) => visit(child, loopDepth));
      else visit(value, loopDepth);
    }
  };

  const visit = (node: unknown, loopDepth: number): void => {
    if (!isNode(node)) return;
    const type = node.typename;
    if (FORBIDDEN_NODES[type]) violations.add(FORBIDDEN_NODES[type]);
    switch (type) {
      case 'Filter': {
        const name = (node.name as TemplateNode).value as string;
        if (!ALLOWED_FILTERS.has(name)) violations.add(`filter "${name}" is not allowed`);
        return visit(node.args, loopDepth);
      }
      case 'Symbol':
        read.add(node.value as string);
        return;
      case 'LookupVal': {
        const key = literalKey(node.val);
        if (key === null) violations.add('only literal keys may be looked up (a.b or a["b"])');
        else if (FORBIDDEN_KEYS.has(key)) violations.add(`the key "${key}" may not be looked up`);
        const target = node.target as TemplateNode;
        if (isStagesSymbol(target) && key !== null) {
          stageRefs.push({ stage: key, member: null });
        } else if (isNode(target) && target.typename === 'LookupVal' && isStagesSymbol(target.target) && literalKey(target.val) !== null) {
          // stages.<name>.<member>: one reference, with its member.
          stageRefs.push({ stage: literalKey(target.val) as string, member: key });
          return visit(target.target, loopDepth);
        }
        return visit(target, loopDepth);
      }
      case 'For':
        for (const symbol of symbolsIn(node.name)) bound.add(symbol);
        if (loopDepth + 1 > MAX_LOOP_DEPTH) violations.add(`for loops may nest at most ${MAX_LOOP_DEPTH} deep`);
        visit(node.arr, loopDepth);
        visit(node.body, loopDepth + 1);
        return visit(node.else_, loopDepth);
      case 'Set':
        for (const target of (node.targets as unknown[]) ?? []) for (const symbol of symbolsIn(target)) bound.add(symbol);
        visit(node.body, loopDepth); // a block set's body is not listed in its fields
        return visitFields(node, loopDepth, ['targets']);
      default:
        return visitFields(node, loopDepth);
    }
  };
  visit(root, 0);

  const variables = new Set([...read].filter((name) => !bound.has(name) && !BUILTIN_NAMES.has(name)));
  for (const name of [...read, ...bound]) if (FORBIDDEN_KEYS.has(name)) violations.add(`the name "${name}" may not be used`);
  return { violations: [...violations], refs: { variables, stageRefs } };
}
