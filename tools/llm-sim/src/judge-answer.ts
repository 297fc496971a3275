/**
 * Judge models: a deterministic grader for LLM-as-judge prompts, so tests can check a judge scorer end to end.
 * `sim-judge` reads the <reference> and <response> blocks and the "scale from A to B" line of the prompt and answers
 * "Score: B/B" when the response contains the reference (case and spacing ignored), "Score: A+1/B" otherwise.
 * `sim-judge-nonsense` answers with no score at all, for the unparseable-answer path.
 */
export const JUDGE_MODEL = 'sim-judge';
export const NONSENSE_JUDGE_MODEL = 'sim-judge-nonsense';
export const NONSENSE_JUDGEMENT = 'The weather is lovely today, and the response reads well.';

export function isJudgeModel(model: string): boolean {
  return model === JUDGE_MODEL || model === NONSENSE_JUDGE_MODEL;
}

export function judgeAnswer(model: string, prompt: string): string {
  if (model === NONSENSE_JUDGE_MODEL) return NONSENSE_JUDGEMENT;
  const reference = block(prompt, 'reference');
  const response = block(prompt, 'response');
  if (reference === undefined || response === undefined) return 'There is no <reference> and <response> to grade.';
  const scale = /scale from (\d+) to (\d+)/i.exec(prompt);
  const [min, max] = scale ? [Number(scale[1]), Number(scale[2])] : [1, 10];
  const matches = normalise(reference) !== '' && normalise(response).includes(normalise(reference));
  return `Score: ${matches ? max : min + 1}/${max}`;
}

function block(prompt: string, tag: string): string | undefined {
  return new RegExp(`<${tag}>\\n?([\\s\\S]*?)\\n?</${tag}>`).exec(prompt)?.[1];
}

function normalise(text: string): string {
  return text.toLowerCase().replace(/\s+/g, ' ').trim();
}
