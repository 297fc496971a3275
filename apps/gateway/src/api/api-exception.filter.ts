import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { ServiceErrorCode, ServiceException } from '@yardstick/contracts';
import { ApiErrorCode, ApiException } from './api.exception';

/** The one place where errors become HTTP statuses; every error body is `{ error: { code, message, details } }`. */
const SERVICE_STATUS: Record<ServiceErrorCode, HttpStatus> = {
  [ServiceErrorCode.ValidationFailed]: HttpStatus.BAD_REQUEST,
  [ServiceErrorCode.NotFound]: HttpStatus.NOT_FOUND,
  [ServiceErrorCode.RunNameConflict]: HttpStatus.CONFLICT,
  [ServiceErrorCode.Conflict]: HttpStatus.CONFLICT,
  [ServiceErrorCode.Unprocessable]: HttpStatus.UNPROCESSABLE_ENTITY,
  [ServiceErrorCode.IntegrityViolation]: HttpStatus.INTERNAL_SERVER_ERROR,
  [ServiceErrorCode.Unavailable]: HttpStatus.SERVICE_UNAVAILABLE,
  [ServiceErrorCode.Internal]: HttpStatus.INTERNAL_SERVER_ERROR,
};

const HTTP_CODES: Partial<Record<number, string>> = {
  400: ApiErrorCode.ValidationFailed,
  401: ApiErrorCode.Unauthorized,
  404: ApiErrorCode.NotFound,
  405: ApiErrorCode.MethodNotAllowed,
  413: ApiErrorCode.PayloadTooLarge,
  415: ApiErrorCode.UnsupportedMediaType,
  429: ApiErrorCode.RateLimited,
};

@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Api');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const { status, code, message, details } = this.describe(exception);
    if (status >= 500) this.logger.error(`${code}: ${(exception as Error)?.stack ?? exception}`);
    response.status(status).json({ error: { code, message, details: details ?? null } });
  }

  private describe(exception: unknown): { status: number; code: string; message: string; details?: unknown } {
    if (exception instanceof ApiException) {
      return { status: exception.status, code: exception.code, message: exception.message, details: exception.details };
    }
    if (exception instanceof ServiceException) {
      return { status: SERVICE_STATUS[exception.code] ?? 500, code: exception.code, message: exception.message, details: exception.details };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse() as { message?: string | string[] } | string;
      const text = typeof body === 'string' ? body : body.message;
      const message = Array.isArray(text) ? 'invalid request' : (text ?? exception.message);
      return { status, code: HTTP_CODES[status] ?? `http_${status}`, message, details: Array.isArray(text) ? { problems: text } : undefined };
    }
    if (isExposedClientError(exception)) {
      return { status: exception.status, code: HTTP_CODES[exception.status] ?? `http_${exception.status}`, message: exception.message };
    }
    return { status: 500, code: ApiErrorCode.Internal, message: 'internal error' };
  }
}

/** An http-errors style error meant for the client, as body-parser raises (body too large, malformed JSON, bad charset). */
function isExposedClientError(error: unknown): error is Error & { status: number } {
  const candidate = error as { status?: unknown; expose?: unknown } | null;
  return error instanceof Error && candidate?.expose === true && typeof candidate.status === 'number'
    && candidate.status >= 400 && candidate.status < 500;
}
