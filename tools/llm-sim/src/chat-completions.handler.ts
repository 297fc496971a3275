import { answerCompletion, newId } from './completion-answer';
import type { EndpointResult, LlmSimState } from './llm-sim.state';
import { chatMessageTexts } from './prompt-text';
import { asBody, optionalInteger, optionalNumber, rejectStreaming, requiredString } from './request-fields';

/** POST /v1/chat/completions: a `chat.completion` with one choice. */
export function createChatCompletion(rawBody: unknown, state: LlmSimState): EndpointResult {
  const body = asBody(rawBody);
  rejectStreaming(body);
  const model = requiredString(body, 'model');
  const promptTexts = chatMessageTexts(body.messages);
  const temperature = optionalNumber(body, 'temperature', 0, 2);
  optionalNumber(body, 'top_p', 0, 1);
  const maxTokens = optionalInteger(body, 'max_tokens', 1);
  const maxCompletionTokens = optionalInteger(body, 'max_completion_tokens', 1);
  const answer = answerCompletion(
    {
      model,
      promptTexts,
      temperature,
      requestSeed: optionalInteger(body, 'seed', Number.MIN_SAFE_INTEGER),
      maxOutputTokens: maxCompletionTokens ?? maxTokens,
    },
    state,
  );
  return {
    correct: answer.correct,
    body: {
      id: newId('chatcmpl-', 15),
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model,
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: answer.text, refusal: null, annotations: [] },
          logprobs: null,
          finish_reason: answer.truncated ? 'length' : 'stop',
        },
      ],
      usage: {
        prompt_tokens: answer.inputTokens,
        completion_tokens: answer.outputTokens,
        total_tokens: answer.inputTokens + answer.outputTokens,
        prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
        completion_tokens_details: {
          reasoning_tokens: 0,
          audio_tokens: 0,
          accepted_prediction_tokens: 0,
          rejected_prediction_tokens: 0,
        },
      },
      service_tier: 'default',
      system_fingerprint: 'fp_llm_sim',
    },
  };
}
