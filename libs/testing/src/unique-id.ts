import { randomBytes } from 'node:crypto';

/** A short id unique to one test run: used for DB schemas and bus prefixes so parallel runs never collide. */
export function uniqueTestId(prefix = 't'): string {
  return `${prefix}${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
}
