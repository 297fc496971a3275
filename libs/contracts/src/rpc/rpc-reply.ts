/** Error codes a service can answer a request with; the gateway maps each to one HTTP status. */
export enum ServiceErrorCode {
  ValidationFailed = 'validation_failed',
  NotFound = 'not_found',
  RunNameConflict = 'run_name_conflict',
  Conflict = 'conflict',
  Unprocessable = 'unprocessable',
  IntegrityViolation = 'integrity_violation',
  Unavailable = 'service_unavailable',
  Internal = 'internal_error',
}

export interface ServiceError {
  code: ServiceErrorCode;
  message: string;
  details?: unknown;
}

/** The reply to every request/reply subject. */
export type RpcReply<T> = { ok: true; data: T } | { ok: false; error: ServiceError };

/** Thrown by a request handler to answer with a specific error code. */
export class ServiceException extends Error {
  constructor(
    readonly code: ServiceErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ServiceException';
  }

  toServiceError(): ServiceError {
    return { code: this.code, message: this.message, details: this.details };
  }
}
