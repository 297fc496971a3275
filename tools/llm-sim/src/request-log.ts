import type { SimEndpoint, SimFault } from './sim-stats';

/** How a logged request ended: its HTTP status, `hang` (never answered) or `aborted` (the client left during the latency). */
export type LoggedOutcome = 200 | 429 | 500 | 400 | 'hang' | 'aborted' | 'pending';

/** One request as GET /sim/requests shows it. */
export interface LoggedRequestJson {
  fingerprint: string;
  endpoint: SimEndpoint;
  /** Arrival time, epoch milliseconds with sub-millisecond precision. */
  at_ms: number;
  outcome: LoggedOutcome;
}

/** The JSON of GET /sim/requests. */
export interface RequestLogJson {
  /** The most requests kept; 0 means the log is off. */
  limit: number;
  /** Older requests dropped to stay within the limit. */
  dropped: number;
  requests: LoggedRequestJson[];
}

export const FAULT_OUTCOME: Record<SimFault, LoggedOutcome> = { '429': 429, '500': 500, '400': 400, hang: 'hang' };

/**
 * The arrival time and outcome of each simulated POST, so tests can check how retries of the same request were
 * spaced. Bounded: past `limit` entries the oldest are dropped; a limit of 0 records nothing.
 */
export class RequestLog {
  private entries: LoggedRequestJson[] = [];
  private dropped = 0;

  constructor(readonly limit: number) {}

  /** Logs an arriving request; the returned entry's outcome is filled in when it is answered. */
  record(endpoint: SimEndpoint, fingerprint: string | undefined): LoggedRequestJson | undefined {
    if (this.limit === 0 || fingerprint === undefined) return undefined;
    const entry: LoggedRequestJson = { fingerprint, endpoint, at_ms: performance.timeOrigin + performance.now(), outcome: 'pending' };
    this.entries.push(entry);
    // Trim in batches so a full log costs O(1) per request on average.
    if (this.entries.length > this.limit * 1.25) {
      const excess = this.entries.length - this.limit;
      this.entries = this.entries.slice(excess);
      this.dropped += excess;
    }
    return entry;
  }

  clear(): void {
    this.entries = [];
    this.dropped = 0;
  }

  toJson(fingerprint?: string): RequestLogJson {
    const kept = this.entries.slice(-this.limit);
    const dropped = this.dropped + (this.entries.length - kept.length);
    return {
      limit: this.limit,
      dropped,
      requests: (fingerprint === undefined ? kept : kept.filter((e) => e.fingerprint === fingerprint)).map((e) => ({ ...e })),
    };
  }
}
