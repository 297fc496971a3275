import { ConcurrencyLimiter } from './concurrency-limiter';

describe(ConcurrencyLimiter.name, () => {
  it('never runs more than its limit at once, waiters included', async () => {
    const sut = new ConcurrencyLimiter(3);
    let running = 0;
    let peak = 0;
    const task = async () => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 5));
      running -= 1;
    };
    await Promise.all(Array.from({ length: 50 }, () => sut.run(task)));
    expect(peak).toBe(3);
  });

  it('releases the slot when a task fails', async () => {
    const sut = new ConcurrencyLimiter(1);
    await expect(sut.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(sut.run(async () => 'next')).resolves.toBe('next');
  });
});
