import Ajv, { type Options as AjvOptions, type ValidateFunction } from 'ajv';
import Ajv2019 from 'ajv/dist/2019';
import Ajv2020 from 'ajv/dist/2020';
import { plainToInstance, Type } from 'class-transformer';
import {
  ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsNotEmpty, IsNumber, IsObject, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min,
  MinLength, ValidateBy, ValidateNested, ValidationError, validateSync,
} from 'class-validator';
import { ScorerName } from './enums';
import type { ScorerSpec } from './payloads/scoring';
import { describeValidationErrors, Validated } from './validation';

// A scorer config travels verbatim from the public API (snake_case JSON) through the run to the scorer, with no DTO on the way
// that could rename its keys: so they are snake_case here. Options that loosen a comparison default to off (except trim).

/** Largest scorer config, as JSON text: the config travels in every ScoreItem command of its run. */
export const MAX_SCORER_CONFIG_CHARS = 65_536;
/** Longest regex pattern: with the scorer's bounded input and time limit, the guard against catastrophic backtracking (ReDoS). */
export const MAX_REGEX_PATTERN_LENGTH = 500;
/** Regex flags a regex scorer accepts. `g` and `y` make matching stateful (lastIndex): an item's result would depend on the one before. */
export const REGEX_FLAGS = 'imsu';
const MAX_TERMS = 100;
const MAX_TERM_LENGTH = 1_000;

/** cosine_similarity: `passed` is reported only when a threshold is set. */
export class CosineSimilarityScorerConfig {
  /** passed = value >= threshold. */
  @IsOptional() @IsNumber() @Min(0) @Max(1) threshold?: number;
}

/** exact_match: the output equals the ground truth after these normalisations, applied in this order (NFKC first: it turns full-width letters and ligatures into plain ones the later steps then see). */
export class ExactMatchScorerConfig {
  @IsBoolean() unicode_nfkc: boolean = false;
  @IsBoolean() case_sensitive: boolean = true;
  /** Removes Unicode punctuation (\p{P}); symbols such as `$` or `+` stay. */
  @IsBoolean() strip_punctuation: boolean = false;
  /** Turns every run of whitespace into one space. */
  @IsBoolean() collapse_whitespace: boolean = false;
  /** On by default: a trailing newline is never what an evaluation means to judge. */
  @IsBoolean() trim: boolean = true;
}

/** contains: the output contains a substring, or all (or any) of a list. */
export class ContainsScorerConfig {
  @IsTextOrTextList() substring!: string | string[];
  @IsIn(['all', 'any']) match: 'all' | 'any' = 'all';
  @IsBoolean() case_sensitive: boolean = true;
}

/** keywords: value = share of requirements satisfied (each term present, each forbidden term absent). */
export class KeywordsScorerConfig {
  @IsTermList() required_present: string[] = [];
  @IsTermList() required_absent: string[] = [];
  @IsBoolean() case_sensitive: boolean = true;
}

/** regex: the output matches the pattern (must_match: true) or does not (must_match: false). */
export class RegexScorerConfig {
  @IsString() @MinLength(1) @MaxLength(MAX_REGEX_PATTERN_LENGTH) pattern!: string;
  @IsString() @Matches(/^[imsu]*$/, { message: `flags may only use ${REGEX_FLAGS.split('').join(', ')} (g and y make matching stateful)` })
  flags: string = '';
  @IsBoolean() must_match: boolean = true;
}

/** json_valid: the output parses as JSON. */
export class JsonValidScorerConfig {
  /** When the output has a fenced code block (```), parse the first block's content instead of the whole output. */
  @IsBoolean() extract_code_block: boolean = false;
}

/** json_schema: the output parses as JSON and conforms to the schema (JSON Schema 2020-12 unless `$schema` names 2019-09 or draft-07). */
export class JsonSchemaScorerConfig {
  @IsObject() schema!: Record<string, unknown>;
  @IsBoolean() extract_code_block: boolean = false;
}

export type LengthUnit = 'characters' | 'tokens';

/** length: value 1 within [min, max], falling linearly to 0 at length 0 (below min) and at twice max (above max). */
export class LengthScorerConfig {
  /** characters = Unicode code points; tokens = an approximation documented in the scorer. */
  @IsIn(['characters', 'tokens']) unit: LengthUnit = 'characters';
  @IsOptional() @IsInt() @Min(0) min?: number;
  @IsOptional() @IsInt() @Min(1) max?: number;
}

export class MarkdownElementRule {
  @IsOptional() @IsIn(['required', 'forbidden']) presence?: 'required' | 'forbidden';
  /** At least this many; implies required. */
  @IsOptional() @IsInt() @Min(1) @Max(10_000) min_count?: number;
}

/** markdown: value = share of the configured element rules satisfied. */
export class MarkdownScorerConfig {
  /** ATX (`# Title`) and setext (underlined) headers. */
  @IsOptional() @ValidateNested() @Type(() => MarkdownElementRule) headers?: MarkdownElementRule;
  /** Bullet (`-`, `*`, `+`) and ordered (`1.`, `1)`) list items, nested ones included. */
  @IsOptional() @ValidateNested() @Type(() => MarkdownElementRule) list_items?: MarkdownElementRule;
  /** Fenced code blocks (``` or ~~~). */
  @IsOptional() @ValidateNested() @Type(() => MarkdownElementRule) code_blocks?: MarkdownElementRule;
}

export type JudgeScale = '1-10' | '0-5';
/** Longest llm_judge rubric (characters): it is sent with every item's judge prompt. */
export const MAX_JUDGE_RUBRIC_CHARS = 8_000;

/** llm_judge: a judge model grades the output against the rubric; its score on the scale is normalised to [0, 1]. */
export class LlmJudgeScorerConfig {
  /** What a good answer is; inserted into the fixed judge prompt. */
  @IsString() @IsNotEmpty() @MaxLength(MAX_JUDGE_RUBRIC_CHARS) rubric!: string;
  /** 1-10: value = (score - 1) / 9; 0-5: value = score / 5. */
  @IsIn(['1-10', '0-5']) scale: JudgeScale = '1-10';
  /** The judge model, called through llm-caller (cached, rate-limited, costed). */
  @IsString() @IsNotEmpty() @MaxLength(200) model!: string;
  /** A project's endpoint for the judge; absent = the deployment's default endpoint. */
  @IsOptional() @IsUUID() provider_endpoint_id?: string;
  /** 0 by default: a judge should give the same output the same grade. */
  @IsNumber() @Min(0) @Max(2) temperature: number = 0;
  @IsOptional() @IsInt() @Min(1) @Max(4_096) max_output_tokens?: number;
  /** passed = value >= threshold (normalised), reported only when set. */
  @IsOptional() @IsNumber() @Min(0) @Max(1) threshold?: number;
}

/** The config class of each scorer. */
export interface ScorerConfigs {
  [ScorerName.CosineSimilarity]: CosineSimilarityScorerConfig;
  [ScorerName.ExactMatch]: ExactMatchScorerConfig;
  [ScorerName.Contains]: ContainsScorerConfig;
  [ScorerName.Keywords]: KeywordsScorerConfig;
  [ScorerName.Regex]: RegexScorerConfig;
  [ScorerName.JsonValid]: JsonValidScorerConfig;
  [ScorerName.JsonSchema]: JsonSchemaScorerConfig;
  [ScorerName.Length]: LengthScorerConfig;
  [ScorerName.Markdown]: MarkdownScorerConfig;
  [ScorerName.LlmJudge]: LlmJudgeScorerConfig;
}

interface ConfigRules<C> {
  type: new () => C;
  /** Checks across fields, and compiling: whatever class-validator cannot see. Runs only on a config that passed class-validator. */
  problems?: (config: C) => string[];
}

const CONFIG_RULES: { [N in ScorerName]: ConfigRules<ScorerConfigs[N]> } = {
  [ScorerName.CosineSimilarity]: { type: CosineSimilarityScorerConfig },
  [ScorerName.ExactMatch]: { type: ExactMatchScorerConfig },
  [ScorerName.Contains]: { type: ContainsScorerConfig },
  [ScorerName.Keywords]: { type: KeywordsScorerConfig, problems: keywordsProblems },
  [ScorerName.Regex]: { type: RegexScorerConfig, problems: (c) => problemsOf(compileScorerRegex(c.pattern, c.flags)) },
  [ScorerName.JsonValid]: { type: JsonValidScorerConfig },
  [ScorerName.JsonSchema]: { type: JsonSchemaScorerConfig, problems: (c) => problemsOf(compileJsonSchema(c.schema)) },
  [ScorerName.Length]: { type: LengthScorerConfig, problems: lengthProblems },
  [ScorerName.Markdown]: { type: MarkdownScorerConfig, problems: markdownProblems },
  [ScorerName.LlmJudge]: { type: LlmJudgeScorerConfig },
};

export function isScorerName(name: unknown): name is ScorerName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(CONFIG_RULES, name);
}

/**
 * A scorer's config as its class, defaults filled in, or every problem as `config.<field>: <message>`. Unknown keys are
 * problems (a misspelt option must not be silently ignored); regexes and JSON schemas are compiled, so a config that passes
 * is one the scorer can run. `undefined` means all defaults.
 */
export function parseScorerConfig<N extends ScorerName>(name: N, config: unknown): Validated<ScorerConfigs[N]> {
  const plain = config ?? {};
  if (typeof plain !== 'object' || Array.isArray(plain)) return { ok: false, problems: ['config: must be a JSON object'] };
  const size = JSON.stringify(plain).length;
  if (size > MAX_SCORER_CONFIG_CHARS) {
    return { ok: false, problems: [`config: is ${size} characters of JSON, over the limit of ${MAX_SCORER_CONFIG_CHARS}`] };
  }
  const rules = CONFIG_RULES[name] as ConfigRules<ScorerConfigs[N]>;
  const value = plainToInstance(rules.type, plain);
  const errors = validateSync(value, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length) return { ok: false, problems: describeValidationErrors(mostBasicProblems(errors), 'config') };
  const problems = rules.problems?.(value) ?? [];
  return problems.length ? { ok: false, problems } : { ok: true, value };
}

/**
 * One problem per field: the first decorator written (class-validator registers decorators bottom-up, so it is the last
 * constraint). Each config field starts with its type check: `pattern: 5` is "must be a string", not also "too long".
 */
function mostBasicProblems(errors: ValidationError[]): ValidationError[] {
  return errors.map((error) => {
    const constraints = Object.entries(error.constraints ?? {});
    return Object.assign(new ValidationError(), error, {
      constraints: constraints.length ? Object.fromEntries(constraints.slice(-1)) : undefined,
      children: mostBasicProblems(error.children ?? []),
    });
  });
}

/** What is wrong with one scorer's name and config; empty when the scorer can run with it. For the API: a non-empty answer is a 400. */
export function scorerConfigProblems(name: string, config: unknown): string[] {
  if (!isScorerName(name)) return [`name: unknown scorer "${name}"`];
  const parsed = parseScorerConfig(name, config);
  return parsed.ok ? [] : parsed.problems;
}

/** What is wrong with a run's scorer list, each problem prefixed `scorers[<index>].`. A run scores each scorer once, so a name may appear once. */
export function scorerSpecsProblems(specs: readonly Pick<ScorerSpec, 'name' | 'config'>[]): string[] {
  const seen = new Set<string>();
  return specs.flatMap((spec, index) => {
    const duplicate = seen.has(spec.name) ? [`name: ${spec.name} is listed more than once`] : [];
    seen.add(spec.name);
    return [...duplicate, ...scorerConfigProblems(spec.name, spec.config)].map((problem) => `scorers[${index}].${problem}`);
  });
}

/** The regex a regex scorer runs. Flags are checked by the config class; this adds repeated flags and what RegExp rejects. */
export function compileScorerRegex(pattern: string, flags: string): Validated<RegExp> {
  if (new Set(flags).size !== flags.length) return { ok: false, problems: [`config.flags: "${flags}" repeats a flag`] };
  try {
    return { ok: true, value: new RegExp(pattern, flags) };
  } catch (error) {
    return { ok: false, problems: [`config.pattern: ${(error as Error).message}`] };
  }
}

const AJV_OPTIONS: AjvOptions = {
  allErrors: true,
  // An unknown keyword (a typo such as "requird") is a config error rather than a rule silently not enforced.
  strictSchema: true,
  strictTypes: false,
  strictTuples: false,
  strictRequired: false,
  // No format validators are installed (that is ajv-formats): `format` is an annotation, not checked.
  validateFormats: false,
  logger: false,
};

const SCHEMA_DIALECTS: ReadonlyArray<{ marker: string; create: () => Pick<Ajv, 'compile'> }> = [
  { marker: 'draft/2020-12/', create: () => new Ajv2020(AJV_OPTIONS) },
  { marker: 'draft/2019-09/', create: () => new Ajv2019(AJV_OPTIONS) },
  { marker: 'draft-07/', create: () => new Ajv(AJV_OPTIONS) },
];

/**
 * The validator a json_schema scorer runs. A new Ajv per schema: an Ajv instance keeps every schema it compiled, and schemas
 * with the same `$id` would collide. No remote `$ref` is fetched (unresolvable = a problem), and `$async` schemas are refused.
 */
export function compileJsonSchema(schema: Record<string, unknown>): Validated<ValidateFunction> {
  const declared = schema.$schema;
  const dialect = declared === undefined ? SCHEMA_DIALECTS[0] : SCHEMA_DIALECTS.find((d) => typeof declared === 'string' && declared.includes(d.marker));
  if (!dialect) {
    return { ok: false, problems: [`config.schema.$schema: ${JSON.stringify(declared)} is not supported; use 2020-12, 2019-09 or draft-07`] };
  }
  let validate: ValidateFunction;
  try {
    validate = dialect.create().compile(schema);
  } catch (error) {
    return { ok: false, problems: [`config.schema: ${(error as Error).message}`] };
  }
  if ((validate as { $async?: boolean }).$async) return { ok: false, problems: ['config.schema: $async schemas are not supported'] };
  return { ok: true, value: validate };
}

function problemsOf(result: Validated<unknown>): string[] {
  return result.ok ? [] : result.problems;
}

function keywordsProblems(config: KeywordsScorerConfig): string[] {
  if (config.required_present.length + config.required_absent.length === 0) {
    return ['config.required_present: required_present or required_absent must list at least one term'];
  }
  const fold = (term: string) => (config.case_sensitive ? term : term.toUpperCase().toLowerCase());
  const problems: string[] = [];
  const present = new Set<string>();
  for (const [field, terms] of [['required_present', config.required_present], ['required_absent', config.required_absent]] as const) {
    const seen = new Set<string>();
    for (const term of terms) {
      const key = fold(term);
      if (seen.has(key)) problems.push(`config.${field}: "${term}" is listed more than once`);
      if (field === 'required_absent' && present.has(key)) problems.push(`config.required_absent: "${term}" is also in required_present`);
      seen.add(key);
      if (field === 'required_present') present.add(key);
    }
  }
  return problems;
}

function lengthProblems(config: LengthScorerConfig): string[] {
  if (config.min === undefined && config.max === undefined) return ['config.min: set min, max or both'];
  if (config.min !== undefined && config.max !== undefined && config.min > config.max) {
    return [`config.max: must be at least min (${config.min}), is ${config.max}`];
  }
  return [];
}

function markdownProblems(config: MarkdownScorerConfig): string[] {
  const elements = (['headers', 'list_items', 'code_blocks'] as const).filter((element) => config[element] != null);
  if (elements.length === 0) return ['config: configure at least one of headers, list_items, code_blocks'];
  return elements.flatMap((element) => {
    const rule = config[element] as MarkdownElementRule;
    if (rule.presence === undefined && rule.min_count === undefined) return [`config.${element}: set presence or min_count`];
    if (rule.presence === 'forbidden' && rule.min_count !== undefined) return [`config.${element}.min_count: contradicts presence "forbidden"`];
    return [];
  });
}

/** A non-empty string, or a list of 1 to 100 non-empty strings. */
function IsTextOrTextList(): PropertyDecorator {
  const isText = (value: unknown) => typeof value === 'string' && value.length > 0 && value.length <= MAX_TERM_LENGTH;
  return ValidateBy({
    name: 'isTextOrTextList',
    validator: {
      validate: (value: unknown) =>
        isText(value) || (Array.isArray(value) && value.length > 0 && value.length <= MAX_TERMS && value.every(isText)),
      defaultMessage: (args) =>
        `${args?.property ?? 'value'} must be a non-empty string or a list of 1 to ${MAX_TERMS} non-empty strings of at most ${MAX_TERM_LENGTH} characters`,
    },
  });
}

/** A list of up to 100 non-empty strings. */
function IsTermList(): PropertyDecorator {
  // Applied in the order decorators written left to right would be (bottom-up), so the type check reports first.
  const checks = [
    IsArray(), ArrayMaxSize(MAX_TERMS), IsString({ each: true }), IsNotEmpty({ each: true }), MaxLength(MAX_TERM_LENGTH, { each: true }),
  ];
  return (target, property) => [...checks].reverse().forEach((decorate) => decorate(target, property));
}
