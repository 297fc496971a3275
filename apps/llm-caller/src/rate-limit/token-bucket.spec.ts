import { bucketShape, maxAdmittedInWindow, withJitter } from './token-bucket';

describe(bucketShape.name, () => {
  it('holds one second of the limit and refills the rest over the minute', () => {
    const shape = bucketShape(600)!;
    expect(shape.capacity).toBe(10);
    expect(shape.msPerUnit).toBeCloseTo(60_000 / 590, 9);
  });

  it('never admits more than the limit in a minute', () => {
    for (const limit of [1, 3, 60, 600, 90_000]) {
      expect(maxAdmittedInWindow(bucketShape(limit)!, 60_000)).toBeCloseTo(limit, 6);
    }
  });

  it('admits at most about two seconds of the limit in one second', () => {
    expect(maxAdmittedInWindow(bucketShape(600)!, 1_000)).toBeCloseTo(10 + 590 / 60, 9);
  });

  it('lets one oversized request past the minute by its excess over the bucket', () => {
    const shape = bucketShape(6_000)!;
    expect(maxAdmittedInWindow(shape, 60_000, 500)).toBeCloseTo(6_000 + 400, 6);
  });

  it.each([[undefined], [0], [-5], [Number.NaN], [Number.POSITIVE_INFINITY]])('has no bucket for a limit of %p', (limit) => {
    expect(bucketShape(limit)).toBeUndefined();
  });
});

describe(withJitter.name, () => {
  it('adds up to a tenth of the wait, at least 2 ms and at most 50 ms', () => {
    expect(withJitter(100, () => 0)).toBe(100);
    expect(withJitter(100, () => 1)).toBe(110);
    expect(withJitter(5, () => 1)).toBe(7);
    expect(withJitter(10_000, () => 1)).toBe(10_050);
  });
});
