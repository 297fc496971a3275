import { ValidateBy, ValidationOptions } from 'class-validator';

/**
 * An array of finite numbers (an embedding). One loop instead of class-validator's per-element checks:
 * vectors have hundreds to thousands of elements and travel in every embedding and scoring message.
 */
export function IsVector(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy({
    name: 'isVector',
    validator: {
      validate: (value: unknown) => Array.isArray(value) && value.every((n) => typeof n === 'number' && Number.isFinite(n)),
      defaultMessage: (args) => `${args?.property ?? "value"} must be an array of finite numbers`,
    },
  }, options);
}
