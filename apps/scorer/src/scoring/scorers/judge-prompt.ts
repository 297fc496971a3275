import { JudgeScale } from '@yardstick/contracts';
import { scaleBounds } from './judge-answer.parser';

export const JUDGE_INSTRUCTIONS =
  'You are an impartial judge. Grade the response to the question against the rubric, using the reference answer as the ' +
  'ground truth. Reply with the score only.';

export interface JudgedTexts {
  rubric: string;
  scale: JudgeScale;
  question?: string;
  groundTruth: string;
  output: string;
}

/**
 * The fixed judge prompt with the rubric inserted. Its text is part of the cache key: changing it makes every judge call a
 * cache miss once. llm-sim's judge models read the <reference> and <response> blocks and the scale line.
 */
export function judgePrompt({ rubric, scale, question, groundTruth, output }: JudgedTexts): string {
  const { min, max } = scaleBounds(scale);
  return [
    `Rubric:\n${rubric}`,
    `Grade on a scale from ${min} to ${max}, where ${max} is best.`,
    ...(question === undefined ? [] : [`<question>\n${question}\n</question>`]),
    `<reference>\n${groundTruth}\n</reference>`,
    `<response>\n${output}\n</response>`,
    `Answer with "Score: N/${max}".`,
  ].join('\n\n');
}
