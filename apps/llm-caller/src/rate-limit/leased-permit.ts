import type Redis from 'ioredis';
import { RateLimitPermit } from './rate-limits';
import { RateLimitScripts } from './rate-limit.scripts';
import { BucketShape } from './token-bucket';

/** A permit never renews its lease past this: a caller that forgets to release cannot hold a slot for ever. */
const MAX_HOLD_MS = 15 * 60_000;

export interface PermitKeys {
  leases: string;
  tokens: string;
}

export interface PermitTerms {
  id: string;
  estimatedTokens: number;
  tokensBucket: BucketShape | undefined;
  /** Set when the permit holds a concurrency slot, which it keeps by renewing its lease every third of it. */
  leaseMs: number | undefined;
}

/**
 * A granted call. Its concurrency slot is a lease in Redis that this process renews while the call runs, so a
 * replica that dies gives its slots back within one lease, and a live one keeps them however long the call takes.
 */
export class LeasedPermit implements RateLimitPermit {
  private released = false;
  private readonly heartbeat?: NodeJS.Timeout;
  private renewedAt = Date.now();
  private readonly grantedAt = Date.now();

  constructor(
    private readonly redis: Redis,
    private readonly keys: PermitKeys,
    private readonly terms: PermitTerms,
    /** Told when Redis could not take the release: the limiter warns once per outage, not once per permit. */
    private readonly onRedisError: (error: unknown) => void,
    private readonly onFreed: () => void,
  ) {
    const leaseMs = terms.leaseMs;
    if (leaseMs !== undefined) {
      this.heartbeat = setInterval(() => void this.renew(leaseMs), Math.max(10, Math.floor(leaseMs / 3)));
      this.heartbeat.unref();
    }
  }

  async release(actualTokens?: number): Promise<void> {
    if (this.released) return;
    this.released = true;
    clearInterval(this.heartbeat);
    const shape = this.terms.tokensBucket;
    const correction = shape && actualTokens !== undefined && Number.isFinite(actualTokens) ? actualTokens - this.terms.estimatedTokens : 0;
    try {
      if (this.terms.leaseMs !== undefined || correction !== 0) {
        await RateLimitScripts.release.run(this.redis, [this.keys.leases, this.keys.tokens], [this.terms.id, correction, shape?.capacity ?? 0, shape?.msPerUnit ?? 0]);
      }
    } catch (error) {
      this.onRedisError(error); // its lease expires on its own
    } finally {
      // A freed slot or given-back tokens may be what this replica's next caller waits for.
      if (this.terms.leaseMs !== undefined || correction < 0) this.onFreed();
    }
  }

  private async renew(leaseMs: number): Promise<void> {
    const now = Date.now();
    if (now - this.grantedAt > MAX_HOLD_MS || now - this.renewedAt > leaseMs) {
      // Held too long, or the lease ran out while Redis was unreachable and another call may have its slot now.
      clearInterval(this.heartbeat);
      return;
    }
    try {
      const held = await RateLimitScripts.renew.run(this.redis, [this.keys.leases], [this.terms.id, leaseMs]);
      if (held === 1) this.renewedAt = now;
      else clearInterval(this.heartbeat);
    } catch {
      // Redis unreachable for now: the next beat tries again until the lease would have run out.
    }
  }
}
