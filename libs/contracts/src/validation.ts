import { plainToInstance } from 'class-transformer';
import { ValidationError, validateSync } from 'class-validator';

export type Validated<T> = { ok: true; value: T } | { ok: false; problems: string[] };

/** Turns class-validator's nested errors into `path: constraint` lines. */
export function describeValidationErrors(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((error) => {
    const path = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => `${path}: ${message}`);
    return [...own, ...describeValidationErrors(error.children ?? [], path)];
  });
}

/**
 * Converts a plain object into an instance of `cls` and validates it. Unknown properties are stripped
 * (a newer producer may add optional fields), or rejected with `rejectUnknown`.
 */
export function validatePlain<T extends object>(cls: new () => T, plain: unknown, options: { rejectUnknown?: boolean } = {}): Validated<T> {
  if (plain === null || typeof plain !== 'object' || Array.isArray(plain)) {
    return { ok: false, problems: ['payload must be a JSON object'] };
  }
  const instance = plainToInstance(cls, plain);
  const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: options.rejectUnknown ?? false });
  return errors.length ? { ok: false, problems: describeValidationErrors(errors) } : { ok: true, value: instance };
}
