import { RetryPolicyOptions } from './retry-policy';

/** The orchestrator's tunables for moving items, read from its environment once. */
export class StageSettings {
  constructor(
    readonly leaseMs: number,
    readonly retry: RetryPolicyOptions,
    /** Most responses-stage items of one run in flight at once. */
    readonly maxInFlightPerRun: number,
    /** Finished items needed before the failure threshold may end a run early. */
    readonly failureMinFinished: number,
  ) {}
}
