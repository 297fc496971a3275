import type { AnswerKey } from './answer-key';
import { hashToIndex, hashToUnit } from './deterministic-random';

/** What decides a simulated answer: the same request always yields the same answer. */
export interface AnswerRequest {
  prompt: string;
  model: string;
  temperature: number | null;
  requestSeed: number | null;
}

export interface SimulatedAnswer {
  text: string;
  /** The answer-key question found in the prompt, if any. */
  question?: string;
  /** Whether the key's answer was given; undefined when no question was found. */
  correct?: boolean;
}

const UNSURE_ANSWERS = [
  'It cannot be determined from the information given.',
  'None of the above.',
  'I am not certain, but I do not think that is the case.',
];
const GENERIC_TEMPLATES = [
  (w: string[]) => `Based on the prompt, the answer involves ${w.join(', ')}.`,
  (w: string[]) => `The key point here is ${w[0]}; it relates to ${w.slice(1).join(' and ') || 'the context'}.`,
  (w: string[]) => `In short: ${w.join(' ')}.`,
  (w: string[]) => `Considering ${w.join(', ')}, the most reasonable response is that it depends on the details.`,
];
const PROMPT_WORD = /[\p{L}\p{N}]{3,}/gu;

/**
 * Answers with the key's answer with probability `accuracy`, otherwise with a plausible wrong answer;
 * without a known question, with a generic answer derived from the prompt.
 */
export function selectAnswer(key: AnswerKey, request: AnswerRequest, accuracy: number, seed: number): SimulatedAnswer {
  const decisionParts = [seed, request.model, request.temperature, request.requestSeed];
  const question = key.findQuestion(request.prompt);
  if (question === undefined) {
    return { text: genericAnswer(request.prompt, [...decisionParts, request.prompt]) };
  }
  const answer = key.answerFor(question) ?? '';
  if (hashToUnit(...decisionParts, question) < accuracy) return { text: answer, question, correct: true };
  return { text: wrongAnswer(answer, key.answerList(), [...decisionParts, question, 'wrong']), question, correct: false };
}

const normalise = (text: string): string => text.trim().toLowerCase();

/** Another item's answer if one differs from the correct one, else a rephrased different statement. */
export function wrongAnswer(correct: string, answers: readonly string[], parts: unknown[]): string {
  const start = hashToIndex(answers.length, ...parts);
  for (let i = 0; i < answers.length; i++) {
    const candidate = answers[(start + i) % answers.length];
    if (normalise(candidate) !== normalise(correct)) return candidate;
  }
  return rephraseWrong(correct, parts);
}

function rephraseWrong(correct: string, parts: unknown[]): string {
  const trimmed = correct.trim();
  const number = /^-?\d+(\.\d+)?$/.exec(trimmed);
  if (number) {
    const decimals = number[1] ? number[1].length - 1 : 0;
    return (Number(trimmed) + 1 + hashToIndex(9, ...parts)).toFixed(decimals);
  }
  const flips: Record<string, string> = { yes: 'No', no: 'Yes', true: 'False', false: 'True' };
  const flipped = flips[normalise(trimmed)];
  if (flipped) return flipped;
  const start = hashToIndex(UNSURE_ANSWERS.length, ...parts);
  for (let i = 0; i < UNSURE_ANSWERS.length; i++) {
    const candidate = UNSURE_ANSWERS[(start + i) % UNSURE_ANSWERS.length];
    if (!trimmed || !normalise(candidate).includes(normalise(trimmed))) return candidate;
  }
  return `Not ${trimmed}`;
}

export function genericAnswer(prompt: string, parts: unknown[]): string {
  const words = [...new Set(prompt.toLowerCase().match(PROMPT_WORD) ?? [])];
  if (words.length === 0) return 'There is not enough in the prompt to answer.';
  const count = Math.min(words.length, 1 + hashToIndex(3, ...parts, 'count'));
  const chosen = Array.from({ length: count }, (_, i) => words[hashToIndex(words.length, ...parts, 'word', i)]);
  return GENERIC_TEMPLATES[hashToIndex(GENERIC_TEMPLATES.length, ...parts, 'template')](chosen);
}
