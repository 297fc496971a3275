import { RetryPolicyOptions } from './retry-policy';

/** The orchestrator's tunables for moving items, read from its environment once. */
export class StageSettings {
  constructor(
    readonly leaseMs: number,
    readonly retry: RetryPolicyOptions,
  ) {}
}
