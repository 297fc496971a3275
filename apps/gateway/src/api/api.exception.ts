import { HttpStatus } from '@nestjs/common';

/** Error codes the API answers with, besides those services send back (ServiceErrorCode). */
export enum ApiErrorCode {
  ValidationFailed = 'validation_failed',
  Unauthorized = 'unauthorized',
  RateLimited = 'rate_limited',
  NotFound = 'not_found',
  InvalidDataset = 'invalid_dataset',
  DatasetTooLarge = 'dataset_too_large',
  FastModeLimitExceeded = 'fast_mode_limit_exceeded',
  RunModeUnavailable = 'run_mode_unavailable',
  PayloadTooLarge = 'payload_too_large',
  MethodNotAllowed = 'method_not_allowed',
  UnsupportedMediaType = 'unsupported_media_type',
  Internal = 'internal_error',
}

/** An error the client caused or must know about, with the HTTP status it maps to. */
export class ApiException extends Error {
  constructor(
    readonly status: HttpStatus,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiException';
  }

  static notFound(what: string, id: string | number): ApiException {
    return new ApiException(HttpStatus.NOT_FOUND, ApiErrorCode.NotFound, `${what} ${id} not found`);
  }
}
