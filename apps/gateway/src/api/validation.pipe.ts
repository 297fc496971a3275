import { HttpStatus, ValidationPipe } from '@nestjs/common';
import { describeValidationErrors } from '@yardstick/contracts';
import { ApiErrorCode, ApiException } from './api.exception';

/** Validates bodies and queries; a bad request is a 400 that lists every field that is wrong and why. */
export function apiValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => {
      const problems = describeValidationErrors(errors);
      const fields = [...new Set(errors.map((e) => e.property))];
      return new ApiException(HttpStatus.BAD_REQUEST, ApiErrorCode.ValidationFailed, `invalid fields: ${fields.join(', ')}`, { problems });
    },
  });
}
