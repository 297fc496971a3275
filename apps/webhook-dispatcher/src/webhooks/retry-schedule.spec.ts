import { RetrySchedule } from './retry-schedule';

describe(RetrySchedule.name, () => {
  const start = new Date('2024-11-30T10:00:00Z');
  const at = (ms: number) => new Date(start.getTime() + ms);

  it('parses the default day-long schedule', () => {
    expect(RetrySchedule.parse('0s,5s,5m,30m,2h,5h,10h,14h,20h,24h').offsetsMs).toEqual([
      0, 5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 50_400_000, 72_000_000, 86_400_000,
    ]);
    expect(RetrySchedule.parse('0ms, 150ms, 1.5s').offsetsMs).toEqual([0, 150, 1_500]);
  });

  it.each(['', '5', '5 minutes', '5s,1s', '-1s'])('refuses %p', (text) => {
    expect(() => RetrySchedule.parse(text)).toThrow();
  });

  it('schedules each attempt at its offset from the start of the round, without jitter at the midpoint', () => {
    const schedule = new RetrySchedule([0, 5_000, 300_000], 0.1, () => 0.5);
    expect(schedule.nextAttemptAt(start, 0, start)).toEqual(start);
    expect(schedule.nextAttemptAt(start, 1, at(100))).toEqual(at(5_000));
    expect(schedule.nextAttemptAt(start, 2, at(5_100))).toEqual(at(300_000));
  });

  it('jitters each wait by at most the given share of its gap', () => {
    const early = new RetrySchedule([0, 5_000, 300_000], 0.1, () => 0);
    const late = new RetrySchedule([0, 5_000, 300_000], 0.1, () => 1);
    expect(early.nextAttemptAt(start, 2, at(5_000))).toEqual(at(300_000 - 29_500));
    expect(late.nextAttemptAt(start, 2, at(5_000))).toEqual(at(300_000 + 29_500));
  });

  it('waits at least as long as Retry-After asks', () => {
    const schedule = new RetrySchedule([0, 5_000, 300_000], 0, () => 0.5);
    expect(schedule.nextAttemptAt(start, 1, at(10), 60_000)).toEqual(at(60_010));
    expect(schedule.nextAttemptAt(start, 1, at(10), 1_000)).toEqual(at(5_000));
  });

  it('attempts at once when an attempt is overdue, and gives up when the schedule is used up', () => {
    const schedule = new RetrySchedule([0, 5_000], 0, () => 0.5);
    expect(schedule.nextAttemptAt(start, 1, at(9_000))).toEqual(at(9_000));
    expect(schedule.nextAttemptAt(start, 2, at(9_000))).toBeUndefined();
  });
});
