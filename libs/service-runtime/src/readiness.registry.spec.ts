import { ReadinessRegistry } from './readiness.registry';

describe(ReadinessRegistry.name, () => {
  it('is ready when every check answers', async () => {
    const sut = new ReadinessRegistry();
    sut.register({ name: 'postgres', check: async () => undefined });
    await expect(sut.evaluate()).resolves.toEqual({ ready: true, checks: { postgres: 'ok' } });
  });

  it('names the failing dependency and a check that hangs', async () => {
    const sut = new ReadinessRegistry();
    sut.register({ name: 'nats', check: async () => Promise.reject(new Error('connection closed')) });
    sut.register({ name: 'redis', check: () => new Promise(() => undefined) });
    const result = await sut.evaluate(50);
    expect(result.ready).toBe(false);
    expect(result.checks).toEqual({ nats: 'failing: connection closed', redis: 'failing: redis did not answer within 50 ms' });
  });

  it('stops being ready while draining for shutdown', async () => {
    const sut = new ReadinessRegistry();
    sut.markDraining();
    await expect(sut.evaluate()).resolves.toEqual({ ready: false, checks: { shutdown: 'draining' } });
  });
});
