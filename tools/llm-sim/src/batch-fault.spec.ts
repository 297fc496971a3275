import { isInjectedFailure, parseBatchFaultPlan } from './batch-fault';

describe(parseBatchFaultPlan.name, () => {
  it('reads a plan with defaults', () => {
    expect(parseBatchFaultPlan({ fail_rate: 0.5 })).toEqual({ failValidation: false, expireAfterRequests: null, failRate: 0.5, failStatus: 500 });
  });

  it.each([
    [{ fail_rate: 2 }, 'fail_rate'],
    [{ fail_rate: 0.1, fail_status: 200 }, 'fail_status'],
    [{ expire_after_requests: -1 }, 'expire_after_requests'],
    [{ fail_validation: 'yes' }, 'fail_validation'],
    [{ fail_ratio: 0.1 }, 'fail_ratio'],
    [{}, 'body'],
  ])('refuses %j naming %s', (body, setting) => {
    expect(() => parseBatchFaultPlan(body)).toThrow(expect.objectContaining({ setting }));
  });
});

describe(isInjectedFailure.name, () => {
  it('fails exactly round-down(n × rate) of the first n requests, spread out', () => {
    const plan = parseBatchFaultPlan({ fail_rate: 0.3 });
    const failed = Array.from({ length: 100 }, (_, i) => i).filter((i) => isInjectedFailure(plan, i));
    expect(failed).toHaveLength(30);
    expect(failed.slice(0, 3)).toEqual([3, 6, 9]);
    expect(isInjectedFailure(undefined, 3)).toBe(false);
  });
});
