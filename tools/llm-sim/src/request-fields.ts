import { OpenAiApiError } from './openai-api.error';

/** Field readers that answer a wrong type with the OpenAI 400 naming the parameter. */
export type JsonBody = Record<string, unknown>;

export function asBody(body: unknown): JsonBody {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw OpenAiApiError.invalidRequest('The request body must be a JSON object.');
  }
  return body as JsonBody;
}

export function requiredString(body: JsonBody, name: string): string {
  const value = body[name];
  if (typeof value !== 'string' || value === '') {
    throw OpenAiApiError.invalidRequest(`Missing required parameter: '${name}'.`, name, 'missing_required_parameter');
  }
  return value;
}

export function optionalString(body: JsonBody, name: string): string | null {
  const value = body[name];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw OpenAiApiError.invalidRequest(`Invalid type for '${name}': expected a string.`, name);
  return value;
}

export function optionalNumber(body: JsonBody, name: string, min: number, max: number): number | null {
  const value = body[name];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw OpenAiApiError.invalidRequest(`Invalid '${name}': expected a number from ${min} to ${max}.`, name);
  }
  return value;
}

export function optionalInteger(body: JsonBody, name: string, min: number): number | null {
  const value = optionalNumber(body, name, min, Number.MAX_SAFE_INTEGER);
  if (value !== null && !Number.isInteger(value)) {
    throw OpenAiApiError.invalidRequest(`Invalid '${name}': expected an integer.`, name);
  }
  return value;
}

export function rejectStreaming(body: JsonBody): void {
  if (body.stream === true) {
    throw OpenAiApiError.invalidRequest('llm-sim does not support streaming; send stream: false.', 'stream');
  }
}
