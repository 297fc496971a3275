import { KeyedThrottle } from './keyed-throttle';

describe(KeyedThrottle.name, () => {
  let flushes: Array<{ key: string; values: number[]; at: number }>;
  let sut: KeyedThrottle<number>;

  beforeEach(() => {
    jest.useFakeTimers({ now: 0 });
    flushes = [];
    sut = new KeyedThrottle<number>({ intervalMs: 250 }, async (key, values) => {
      flushes.push({ key, values, at: Date.now() });
    });
  });

  afterEach(() => jest.useRealTimers());

  it('publishes the first change at once and everything added during the interval in one flush at its end', async () => {
    sut.add('run-1', 1);
    await jest.advanceTimersByTimeAsync(0);
    sut.add('run-1', 2);
    sut.add('run-1', 3);
    await jest.advanceTimersByTimeAsync(249);
    expect(flushes).toEqual([{ key: 'run-1', values: [1], at: 0 }]);
    await jest.advanceTimersByTimeAsync(1);
    expect(flushes).toEqual([{ key: 'run-1', values: [1], at: 0 }, { key: 'run-1', values: [2, 3], at: 250 }]);
  });

  it('flushes a run at most once per interval however fast its items finish, losing none', async () => {
    for (let i = 0; i < 1_000; i += 1) {
      sut.add('run-1', i);
      await jest.advanceTimersByTimeAsync(1);
    }
    await jest.advanceTimersByTimeAsync(250);
    expect(flushes.length).toBeLessThanOrEqual(5);
    const gaps = flushes.slice(1).map((flush, i) => flush.at - flushes[i].at);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(250);
    expect(flushes.flatMap((flush) => flush.values)).toEqual(Array.from({ length: 1_000 }, (_, i) => i));
  });

  it('spaces the flushes of a key whose flushes are slow so they take at most maxBusyShare of the time', async () => {
    sut = new KeyedThrottle<number>({ intervalMs: 250, maxBusyShare: 0.25 }, async (key, values) => {
      flushes.push({ key, values, at: Date.now() });
      await new Promise((resolve) => setTimeout(resolve, 400));
    });
    for (let i = 0; i < 100; i += 1) {
      sut.add('run-1', i);
      await jest.advanceTimersByTimeAsync(50);
    }
    await jest.advanceTimersByTimeAsync(2_000);
    const gaps = flushes.slice(1).map((flush, i) => flush.at - flushes[i].at);
    expect(gaps.length).toBeGreaterThanOrEqual(2);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(1_600);
    expect(flushes.flatMap((flush) => flush.values)).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });

  it('throttles each run on its own', async () => {
    sut.add('run-1', 1);
    sut.add('run-2', 2);
    await jest.advanceTimersByTimeAsync(0);
    expect(flushes.map((flush) => flush.key).sort()).toEqual(['run-1', 'run-2']);
  });

  it('flushNow sends what is pending at once, then runs the final step after it, even behind a slow flush', async () => {
    const order: string[] = [];
    let release!: () => void;
    sut = new KeyedThrottle<number>({ intervalMs: 250 }, async (_key, values) => {
      if (values.includes(1)) await new Promise<void>((resolve) => (release = resolve));
      order.push(`flush ${values.join(',') || 'snapshot'}`);
    });
    sut.add('run-1', 1);
    await jest.advanceTimersByTimeAsync(0);
    sut.add('run-1', 2);
    const final = sut.flushNow('run-1', async () => {
      order.push('terminal status');
    });
    release();
    await final;
    expect(order).toEqual(['flush 1', 'flush 2', 'terminal status']);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(order).toHaveLength(3);
  });

  it('flushNow with nothing pending skips the flush unless forced (a final snapshot is)', async () => {
    const then = jest.fn(async () => undefined);
    await sut.flushNow('run-1', then);
    expect(flushes).toEqual([]);
    expect(then).toHaveBeenCalledTimes(1);
    await sut.flushNow('run-1', undefined, true);
    expect(flushes).toEqual([{ key: 'run-1', values: [], at: 0 }]);
  });

  it('rejects flushNow with the flush error, and later flushes of the run still happen', async () => {
    let fail = true;
    sut = new KeyedThrottle<number>({ intervalMs: 250 }, async (key, values) => {
      if (fail) throw new Error('NATS is down');
      flushes.push({ key, values, at: Date.now() });
    });
    await expect(sut.flushNow('run-1', undefined, true)).rejects.toThrow('NATS is down');
    fail = false;
    sut.add('run-1', 7);
    await jest.advanceTimersByTimeAsync(250);
    expect(flushes).toEqual([{ key: 'run-1', values: [7], at: 250 }]);
  });

  it('forgets runs idle for longer than asked, and never one with values pending', async () => {
    sut.add('run-1', 1);
    await jest.advanceTimersByTimeAsync(0);
    sut.add('run-2', 2);
    await jest.advanceTimersByTimeAsync(0);
    sut.add('run-2', 3);
    await jest.advanceTimersByTimeAsync(100);
    sut.forgetIdle(50);
    expect(sut.size).toBe(1);
  });
});
