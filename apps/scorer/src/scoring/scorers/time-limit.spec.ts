import { runWithTimeLimit, TimeLimitExceededError } from './time-limit';

describe(runWithTimeLimit.name, () => {
  it('returns what the function returns', () => {
    expect(runWithTimeLimit(() => /b/.exec('abc')?.index)).toBe(1);
  });

  it('passes the function\'s own errors through', () => {
    expect(() => runWithTimeLimit(() => { throw new RangeError('boom'); })).toThrow(RangeError);
  });

  it('stops catastrophic backtracking at the limit and keeps working afterwards', () => {
    const started = Date.now();
    expect(() => runWithTimeLimit(() => /^(a+)+$/.test(`${'a'.repeat(40)}!`), 50)).toThrow(TimeLimitExceededError);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(runWithTimeLimit(() => 1 + 1)).toBe(2);
  });
});
