/** A setting with an unusable value; `setting` names it as the caller knows it (env var, option or JSON field). */
export class SimConfigError extends Error {
  constructor(
    readonly setting: string,
    message: string,
  ) {
    super(`${setting}: ${message}`);
    this.name = 'SimConfigError';
  }
}

export function checkRate(value: unknown, setting: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new SimConfigError(setting, `must be a number between 0 and 1, got ${JSON.stringify(value)}`);
  }
  return value;
}

export function checkMilliseconds(value: unknown, setting: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new SimConfigError(setting, `must be a non-negative number of milliseconds, got ${JSON.stringify(value)}`);
  }
  return value;
}

export function checkInteger(value: unknown, setting: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new SimConfigError(setting, `must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`);
  }
  return value;
}

export function checkAccuracyMap(value: unknown, setting: string): Record<string, number> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new SimConfigError(setting, 'must be an object mapping model names to probabilities');
  }
  const map: Record<string, number> = {};
  for (const [model, p] of Object.entries(value)) map[model] = checkRate(p, `${setting}.${model}`);
  return map;
}
