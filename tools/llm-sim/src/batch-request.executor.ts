import { randomBytes } from 'node:crypto';
import { newId } from './completion-answer';
import { BATCH_ENDPOINTS } from './batch-endpoints';
import type { BatchFaultPlan } from './batch-fault';
import type { BatchRequestLine } from './batch-input.validator';
import type { LlmSimState } from './llm-sim.state';
import { OpenAiApiError } from './openai-api.error';

/** One line of an output or error file. */
export interface BatchResultLine {
  id: string;
  custom_id: string;
  response: { status_code: number; request_id: string; body: unknown } | null;
  error: { code: string; message: string } | null;
}

export interface BatchRequestOutcome {
  line: BatchResultLine;
  /** 2xx: the line goes to the output file; anything else to the error file. */
  succeeded: boolean;
  inputTokens: number;
  outputTokens: number;
}

const requestId = (): string => `req_${randomBytes(12).toString('hex')}`;

function injectedError(status: number): OpenAiApiError {
  return status >= 500
    ? new OpenAiApiError(status, 'llm-sim injected a server failure for this batch request.', 'server_error', 'server_error')
    : new OpenAiApiError(status, 'llm-sim injected a failure for this batch request.', 'invalid_request_error', 'injected_failure');
}

/** Token counts from the usage of a responses, chat or embeddings body. */
function tokensOf(body: unknown): { inputTokens: number; outputTokens: number } {
  const usage = (body as { usage?: Record<string, unknown> }).usage ?? {};
  const count = (value: unknown): number => (typeof value === 'number' ? value : 0);
  return {
    inputTokens: count(usage.input_tokens ?? usage.prompt_tokens),
    outputTokens: count(usage.output_tokens ?? usage.completion_tokens),
  };
}

/**
 * Answers one batch request with the synchronous endpoint's own handler, so its body equals what the sync route
 * returns for the same request (ids and timestamps aside); a 4xx from the handler becomes an error-file line.
 */
export function executeBatchRequest(
  request: BatchRequestLine,
  state: LlmSimState,
  fault: BatchFaultPlan | undefined,
  injectFailure: boolean,
): BatchRequestOutcome {
  const line = (statusCode: number, body: unknown): BatchResultLine => ({
    id: newId('batch_req_', 16),
    custom_id: request.custom_id,
    response: { status_code: statusCode, request_id: requestId(), body },
    error: null,
  });
  try {
    if (injectFailure && fault) throw injectedError(fault.failStatus);
    const handler = BATCH_ENDPOINTS.get(request.url);
    if (!handler) throw OpenAiApiError.invalidRequest(`Unsupported url ${request.url}.`, 'url');
    const result = handler(request.body, state);
    return { line: line(200, result.body), succeeded: true, ...tokensOf(result.body) };
  } catch (error) {
    if (!(error instanceof OpenAiApiError)) throw error;
    return { line: line(error.status, error.toBody()), succeeded: false, inputTokens: 0, outputTokens: 0 };
  }
}

/** The error-file line of a request the batch never ran because its completion window ended. */
export function expiredRequestLine(customId: string): BatchResultLine {
  return {
    id: newId('batch_req_', 16),
    custom_id: customId,
    response: null,
    error: { code: 'batch_expired', message: 'This request could not be executed before the completion window expired.' },
  };
}
