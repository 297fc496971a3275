import { checkInteger, checkRate, SimConfigError } from './sim-config.error';

/** A failure injected into one batch (the next one created), queued by POST /sim/batch-faults. */
export interface BatchFaultPlan {
  /** The batch fails validation with an `injected_failure` error. */
  failValidation: boolean;
  /** The batch expires once this many requests are done; the rest get `batch_expired`. */
  expireAfterRequests: number | null;
  /** Share (0..1) of requests answered with `failStatus` instead of their result, spread evenly. */
  failRate: number;
  failStatus: number;
}

/** The snake_case JSON of one fault plan. */
export interface BatchFaultPlanJson {
  fail_validation: boolean;
  expire_after_requests: number | null;
  fail_rate: number;
  fail_status: number;
}

const FIELDS = ['fail_validation', 'expire_after_requests', 'fail_rate', 'fail_status'];

export function parseBatchFaultPlan(body: unknown): BatchFaultPlan {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new SimConfigError('body', 'must be a JSON object');
  const input = body as Record<string, unknown>;
  const unknown = Object.keys(input).find((name) => !FIELDS.includes(name));
  if (unknown !== undefined) throw new SimConfigError(unknown, `is not a batch fault (known: ${FIELDS.join(', ')})`);
  if (input.fail_validation !== undefined && typeof input.fail_validation !== 'boolean') {
    throw new SimConfigError('fail_validation', 'must be a boolean');
  }
  const plan: BatchFaultPlan = {
    failValidation: input.fail_validation === true,
    expireAfterRequests:
      input.expire_after_requests === undefined || input.expire_after_requests === null
        ? null
        : checkInteger(input.expire_after_requests, 'expire_after_requests', 0, Number.MAX_SAFE_INTEGER),
    failRate: input.fail_rate === undefined ? 0 : checkRate(input.fail_rate, 'fail_rate'),
    failStatus: input.fail_status === undefined ? 500 : checkInteger(input.fail_status, 'fail_status', 400, 599),
  };
  if (!plan.failValidation && plan.expireAfterRequests === null && plan.failRate === 0) {
    throw new SimConfigError('body', 'set fail_validation, expire_after_requests or fail_rate');
  }
  return plan;
}

export function batchFaultPlanToJson(plan: BatchFaultPlan): BatchFaultPlanJson {
  return {
    fail_validation: plan.failValidation,
    expire_after_requests: plan.expireAfterRequests,
    fail_rate: plan.failRate,
    fail_status: plan.failStatus,
  };
}

/**
 * Whether request `index` (0-based) is one of the injected failures: exactly round-down(n × rate) of the first n
 * requests fail, spread evenly, so a test knows how many to expect.
 */
export function isInjectedFailure(plan: BatchFaultPlan | undefined, index: number): boolean {
  if (!plan || plan.failRate === 0) return false;
  return Math.floor((index + 1) * plan.failRate) > Math.floor(index * plan.failRate);
}
