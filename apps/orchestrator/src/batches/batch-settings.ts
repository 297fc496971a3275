/** The batch poller's tunables (BATCH_* in the orchestrator's environment). */
export class BatchSettings {
  constructor(
    readonly tickMs: number,
    readonly pollMinMs: number,
    readonly pollMaxMs: number,
    readonly maxRequests: number,
    readonly maxBytes: number,
    readonly retryMode: 'batch' | 'fast',
    readonly itemLeaseMs: number,
    readonly leaseMs: number,
  ) {}
}
