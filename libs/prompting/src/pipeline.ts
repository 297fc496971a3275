import { templateProblems } from './prompt-template';
import { inspectTemplate } from './template-sandbox';

/** Most stages a pipeline may have: each one is a provider call per item. */
export const MAX_PIPELINE_STAGES = 10;
/** Stage names are template identifiers (`stages.<name>.output`). */
export const STAGE_NAME_PATTERN = /^[a-z][a-z0-9_]{0,49}$/;
/** The one stage of a config version without a pipeline. */
export const SINGLE_STAGE_NAME = 'response';

/**
 * Problems with a pipeline's stages, each prefixed with where it is (`pipeline[1] (answer): …`): names unique and
 * well-formed, at most MAX_PIPELINE_STAGES, every template valid against the row and the stages before it, and the
 * question used by at least one stage.
 */
export function pipelineProblems(stages: Array<{ name: string; promptTemplate: string }>): string[] {
  const problems: string[] = [];
  if (!stages.length) return ['pipeline: at least one stage is required'];
  if (stages.length > MAX_PIPELINE_STAGES) return [`pipeline: at most ${MAX_PIPELINE_STAGES} stages, got ${stages.length}`];
  const names = stages.map((s) => s.name);
  stages.forEach((stage, index) => {
    const where = `pipeline[${index}] (${stage.name})`;
    if (!STAGE_NAME_PATTERN.test(stage.name)) problems.push(`${where}: name must match ${STAGE_NAME_PATTERN.source}`);
    if (names.indexOf(stage.name) !== index) problems.push(`${where}: name is not unique`);
    const found = templateProblems(stage.promptTemplate, {
      earlierStages: names.slice(0, index), laterStages: names.slice(index + 1), requireQuestion: false,
    });
    problems.push(...found.map((p) => `${where}.prompt_template: ${p}`));
  });
  if (!problems.length && !stages.some((s) => templateUsesQuestion(s.promptTemplate))) {
    problems.push('pipeline: no stage uses {{question}}');
  }
  return problems;
}

function templateUsesQuestion(template: string): boolean {
  return inspectTemplate(template).refs.variables.has('question');
}
