import { createContext, Script } from 'node:vm';

/**
 * How long one regex or schema check may run on one output. Linear work on the largest output the scorers look at takes a
 * few milliseconds; only catastrophic backtracking gets near this.
 */
export const CHECK_TIME_LIMIT_MS = 250;

export class TimeLimitExceededError extends Error {
  constructor(readonly limitMs: number) {
    super(`ran over ${limitMs} ms`);
    this.name = 'TimeLimitExceededError';
  }
}

// JavaScript regexes backtrack and cannot be interrupted from the same thread, except by V8's watchdog, which node:vm
// exposes as `timeout`. The function runs as it is (same realm, same objects); the context only hosts the call.
const host = createContext({});
const invoke = new Script('run()');

/**
 * `run()`, stopped with a TimeLimitExceededError once it has run for `limitMs`. Costs about 0.1 ms (a watchdog thread).
 * The one outcome in scoring that depends on the machine: a check close to the limit may finish on one delivery and not on
 * another. Either way the item shows a result or a scorer error, never a silent 0.
 */
export function runWithTimeLimit<T>(run: () => T, limitMs: number = CHECK_TIME_LIMIT_MS): T {
  host.run = run;
  try {
    return invoke.runInContext(host, { timeout: limitMs }) as T;
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') throw new TimeLimitExceededError(limitMs);
    throw error;
  } finally {
    host.run = undefined;
  }
}
