import { randomBytes } from 'node:crypto';
import { selectAnswer } from './answer-selector';
import { isJudgeModel, judgeAnswer } from './judge-answer';
import type { LlmSimState } from './llm-sim.state';
import { accuracyFor } from './sim-config';
import { countTokens, truncateToTokens } from './token-counter';

/** What the responses and chat endpoints share: the prompt, how to sample, and the output token cap. */
export interface CompletionRequest {
  model: string;
  promptTexts: string[];
  temperature: number | null;
  requestSeed: number | null;
  maxOutputTokens: number | null;
}

export interface CompletionAnswer {
  text: string;
  truncated: boolean;
  inputTokens: number;
  outputTokens: number;
  correct?: boolean;
}

export function answerCompletion(request: CompletionRequest, state: LlmSimState): CompletionAnswer {
  const prompt = request.promptTexts.join('\n');
  const answer = isJudgeModel(request.model) ? { text: judgeAnswer(request.model, prompt) } : selectAnswer(
    state.answerKey,
    { prompt, model: request.model, temperature: request.temperature, requestSeed: request.requestSeed },
    accuracyFor(state.config, request.model),
    state.seed,
  );
  const { text, truncated } =
    request.maxOutputTokens === null ? { text: answer.text, truncated: false } : truncateToTokens(answer.text, request.maxOutputTokens);
  return {
    text,
    truncated,
    inputTokens: request.promptTexts.reduce((sum, part) => sum + countTokens(part), 0),
    outputTokens: countTokens(text),
    correct: answer.correct,
  };
}

export function newId(prefix: string, bytes = 24): string {
  return prefix + randomBytes(bytes).toString('hex');
}
