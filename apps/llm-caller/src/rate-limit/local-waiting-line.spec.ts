import { LocalWaitingLine } from './local-waiting-line';

const timeout = (): Error => new Error('timed out');

describe(LocalWaitingLine.name, () => {
  let sut: LocalWaitingLine;

  beforeEach(() => {
    sut = new LocalWaitingLine();
  });

  it('lets callers of one key through one at a time, in the order they came', async () => {
    const order: string[] = [];
    const first = await sut.enter('k', 1_000, timeout);
    const second = sut.enter('k', 1_000, timeout).then((leave) => (order.push('second'), leave));
    const third = sut.enter('k', 1_000, timeout).then((leave) => (order.push('third'), leave));
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual([]);
    first();
    (await second)();
    (await third)();
    expect(order).toEqual(['second', 'third']);
  });

  it('does not make callers of different keys wait for each other', async () => {
    await sut.enter('a', 1_000, timeout);
    await expect(sut.enter('b', 1_000, timeout)).resolves.toEqual(expect.any(Function));
  });

  it('drops a waiter whose signal aborts and lets the next one through', async () => {
    const head = await sut.enter('k', 1_000, timeout);
    const controller = new AbortController();
    const aborted = sut.enter('k', 1_000, timeout, controller.signal);
    const next = sut.enter('k', 1_000, timeout);
    controller.abort(new Error('caller gave up'));
    await expect(aborted).rejects.toThrow('caller gave up');
    head();
    await expect(next).resolves.toEqual(expect.any(Function));
  });

  it('rejects with the timeout error when the turn does not come in time', async () => {
    await sut.enter('k', 1_000, timeout);
    await expect(sut.enter('k', 20, timeout)).rejects.toThrow('timed out');
  });

  it('ends a sleep early when nudged', async () => {
    const started = Date.now();
    const sleeping = sut.sleep('k', 5_000);
    sut.nudge('k');
    await sleeping;
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('ends a sleep with the signal reason when aborted', async () => {
    const controller = new AbortController();
    const sleeping = sut.sleep('k', 5_000, controller.signal);
    controller.abort(new Error('stop'));
    await expect(sleeping).rejects.toThrow('stop');
  });
});
