/** An error answered in the OpenAI shape `{ error: { message, type, param, code } }`. */
export class OpenAiApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type: string,
    readonly code: string | null = null,
    readonly param: string | null = null,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'OpenAiApiError';
  }

  static invalidRequest(message: string, param: string | null = null, code: string | null = null): OpenAiApiError {
    return new OpenAiApiError(400, message, 'invalid_request_error', code, param);
  }

  toBody(): { error: { message: string; type: string; param: string | null; code: string | null } } {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }
}
