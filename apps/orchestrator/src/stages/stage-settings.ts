import { RetryPolicyOptions } from './retry-policy';

/** The orchestrator's tunables for moving items, read from its environment once. */
export class StageSettings {
  constructor(
    readonly leaseMs: number,
    readonly retry: RetryPolicyOptions,
    /** Most item stages of one run in flight at once (all stages count; each finished response frees room for one more). */
    readonly maxInFlightPerRun: number,
    /** Finished items needed before the failure threshold may end a run early. */
    readonly failureMinFinished: number,
  ) {}
}
