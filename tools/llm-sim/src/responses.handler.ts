import { answerCompletion, newId } from './completion-answer';
import type { EndpointResult, LlmSimState } from './llm-sim.state';
import { OpenAiApiError } from './openai-api.error';
import { responsesInputTexts } from './prompt-text';
import { asBody, optionalInteger, optionalNumber, optionalString, rejectStreaming, requiredString } from './request-fields';

/** POST /v1/responses: a completed (or, past max_output_tokens, incomplete) `response` object. */
export function createResponse(rawBody: unknown, state: LlmSimState): EndpointResult {
  const body = asBody(rawBody);
  rejectStreaming(body);
  const model = requiredString(body, 'model');
  if (body.input === undefined) {
    throw OpenAiApiError.invalidRequest("Missing required parameter: 'input'.", 'input', 'missing_required_parameter');
  }
  const instructions = optionalString(body, 'instructions');
  const temperature = optionalNumber(body, 'temperature', 0, 2);
  const topP = optionalNumber(body, 'top_p', 0, 1);
  const maxOutputTokens = optionalInteger(body, 'max_output_tokens', 1);
  const answer = answerCompletion(
    {
      model,
      promptTexts: [...(instructions === null ? [] : [instructions]), ...responsesInputTexts(body.input)],
      temperature,
      requestSeed: optionalInteger(body, 'seed', Number.MIN_SAFE_INTEGER),
      maxOutputTokens,
    },
    state,
  );
  const createdAt = Math.floor(Date.now() / 1000);
  const status = answer.truncated ? 'incomplete' : 'completed';
  return {
    correct: answer.correct,
    body: {
      id: newId('resp_'),
      object: 'response',
      created_at: createdAt,
      status,
      background: false,
      completed_at: answer.truncated ? null : createdAt,
      error: null,
      incomplete_details: answer.truncated ? { reason: 'max_output_tokens' } : null,
      instructions,
      max_output_tokens: maxOutputTokens,
      max_tool_calls: null,
      metadata: body.metadata ?? {},
      model,
      output: [
        {
          type: 'message',
          id: newId('msg_'),
          status,
          role: 'assistant',
          content: [{ type: 'output_text', text: answer.text, annotations: [], logprobs: [] }],
        },
      ],
      parallel_tool_calls: true,
      previous_response_id: null,
      prompt_cache_key: null,
      reasoning: { effort: null, summary: null },
      safety_identifier: null,
      service_tier: 'default',
      store: false,
      temperature: temperature ?? 1,
      text: { format: { type: 'text' }, verbosity: 'medium' },
      tool_choice: 'auto',
      tools: [],
      top_logprobs: 0,
      top_p: topP ?? 1,
      truncation: 'disabled',
      usage: {
        input_tokens: answer.inputTokens,
        input_tokens_details: { cached_tokens: 0 },
        output_tokens: answer.outputTokens,
        output_tokens_details: { reasoning_tokens: 0 },
        total_tokens: answer.inputTokens + answer.outputTokens,
      },
      user: null,
    },
  };
}
