import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import { LeasedPermit, PermitKeys } from './leased-permit';
import { LocalWaitingLine } from './local-waiting-line';
import { readProviderBudgets } from './provider-rate-limit.headers';
import { RateLimitWaitExceeded } from './rate-limit.exception';
import { RateLimitScripts } from './rate-limit.scripts';
import { RateLimiterLogger, RateLimitPermit, RateLimitReason, RateLimits } from './rate-limits';
import { BucketShape, bucketShape, withJitter } from './token-bucket';

export interface ProviderRateLimiterOptions {
  /** Prefix of every Redis key the limiter writes; `ys:rate-limit:` unless given (tests use a unique one). */
  keyPrefix?: string;
  /** The longest a call waits for its turn before `acquire` throws RateLimitWaitExceeded; 60 s unless given. */
  maxWaitMs?: number;
  logger?: RateLimiterLogger;
  /** How soon a concurrency slot of a replica that died is given back; 30 s unless given. */
  concurrencyLeaseMs?: number;
  /** How long one Redis round trip may take before Redis counts as down; 1 s unless given. */
  redisTimeoutMs?: number;
}

type LimitKeys = PermitKeys & Record<'requests' | 'block' | 'strikes' | 'providerRequests' | 'providerTokens', string>;

interface PermitRequest {
  keys: LimitKeys;
  requestsBucket: BucketShape | undefined;
  tokensBucket: BucketShape | undefined;
  tokens: number;
  maxConcurrency: number;
}

/** The acquire script's reply: admitted, or not with the wait the longest limit needs and which limit that is. */
type AcquireReply = [1] | [0, number, RateLimitReason];

const NO_OP_PERMIT: RateLimitPermit = { release: async () => undefined };
/** A release in this replica wakes its waiter at once; another replica's is only seen by asking again: soon, then less often. */
const CONCURRENCY_POLL_MS = { first: 20, longest: 250 };
/** Without a Retry-After, the first 429 blocks the key this long, and each further one within a minute twice as long. */
const BACKOFF_MS = { first: 1_000, longest: 60_000 };

/**
 * Rate limits of provider endpoints and models, shared by every llm-caller replica through Redis: requests and tokens
 * per minute (token buckets, see token-bucket.ts for why), a cap on calls in flight (leases that expire when their
 * replica dies), the budgets the provider reports in its `x-ratelimit-*` headers, and pauses after its 429s.
 * Each decision is one Lua script, so replicas never race between reading a limit and charging it.
 * Without Redis the limiter lets calls through (the provider's own 429s still slow the platform down).
 */
export class ProviderRateLimiter {
  private readonly keyPrefix: string;
  private readonly maxWaitMs: number;
  private readonly logger: RateLimiterLogger;
  private readonly leaseMs: number;
  private readonly redisTimeoutMs: number;
  private readonly line = new LocalWaitingLine();
  private redisDown = false;

  constructor(private readonly redis: Redis, options: ProviderRateLimiterOptions = {}) {
    this.keyPrefix = options.keyPrefix ?? 'ys:rate-limit:';
    this.maxWaitMs = options.maxWaitMs ?? 60_000;
    this.logger = options.logger ?? new Logger(ProviderRateLimiter.name);
    this.leaseMs = options.concurrencyLeaseMs ?? 30_000;
    this.redisTimeoutMs = options.redisTimeoutMs ?? 1_000;
  }

  /**
   * Waits until the call may go (bounded by maxWaitMs → throws RateLimitWaitExceeded); never fails because Redis is
   * down: then it returns a no-op permit and warns once. `estimatedTokens` is charged to the tokens-per-minute budget
   * until the permit's release corrects it.
   */
  async acquire(key: string, limits: RateLimits, estimatedTokens: number, signal?: AbortSignal): Promise<RateLimitPermit> {
    const deadline = Date.now() + this.maxWaitMs;
    const request: PermitRequest = {
      keys: this.keys(key),
      requestsBucket: bucketShape(limits.requestsPerMinute),
      tokensBucket: bucketShape(limits.tokensPerMinute),
      tokens: Math.max(0, Math.ceil(Number.isFinite(estimatedTokens) ? estimatedTokens : 0)),
      maxConcurrency: limits.maxConcurrency !== undefined && limits.maxConcurrency >= 1 ? Math.floor(limits.maxConcurrency) : 0,
    };
    const leave = await this.line.enter(key, this.maxWaitMs, () => new RateLimitWaitExceeded(key, undefined, undefined, this.maxWaitMs), signal);
    try {
      for (let attempt = 0; ; attempt += 1) {
        const id = randomUUID();
        let reply: AcquireReply;
        try {
          reply = await this.tryAcquire(request, id, Math.min(CONCURRENCY_POLL_MS.longest, CONCURRENCY_POLL_MS.first * 2 ** attempt));
          this.redisDown = false;
        } catch (error) {
          this.warnRedisDown(error);
          return NO_OP_PERMIT;
        }
        const [admitted, waitMs = 0, reason] = reply;
        if (admitted === 1) {
          const terms = { id, estimatedTokens: request.tokens, tokensBucket: request.tokensBucket, leaseMs: request.maxConcurrency > 0 ? this.leaseMs : undefined };
          return new LeasedPermit(this.redis, request.keys, terms, (error) => this.warnRedisDown(error), () => this.line.nudge(key));
        }
        if (Date.now() + waitMs > deadline) throw new RateLimitWaitExceeded(key, reason, waitMs, this.maxWaitMs);
        await this.line.sleep(key, withJitter(waitMs), signal);
      }
    } finally {
      leave();
    }
  }

  /** Records the budgets the provider reported in its `x-ratelimit-*` headers, for every replica to respect. */
  async observeHeaders(key: string, headers: Headers): Promise<void> {
    const { requests, tokens } = readProviderBudgets(headers);
    if (!requests && !tokens) return;
    const keys = this.keys(key);
    const args = [requests, tokens].flatMap((budget) => [budget?.remaining ?? -1, budget?.resetMs ?? 0, budget?.limit ?? -1]);
    await this.runQuietly(() => RateLimitScripts.observe.run(this.redis, [keys.providerRequests, keys.providerTokens], args, this.redisTimeoutMs));
  }

  /** After a 429: blocks the key for every replica for the provider's Retry-After, or a doubling backoff without one. */
  async observeRateLimited(key: string, retryAfterMs: number | undefined): Promise<void> {
    const keys = this.keys(key);
    const blockMs = retryAfterMs !== undefined && Number.isFinite(retryAfterMs) && retryAfterMs >= 0 ? Math.ceil(retryAfterMs) : -1;
    await this.runQuietly(() => RateLimitScripts.block.run(this.redis, [keys.block, keys.strikes], [blockMs, BACKOFF_MS.first, BACKOFF_MS.longest], this.redisTimeoutMs));
  }

  private async tryAcquire({ keys, requestsBucket, tokensBucket, tokens, maxConcurrency }: PermitRequest, id: string, pollMs: number): Promise<AcquireReply> {
    return (await RateLimitScripts.acquire.run(
      this.redis,
      [keys.requests, keys.tokens, keys.leases, keys.block, keys.providerRequests, keys.providerTokens],
      [
        requestsBucket?.capacity ?? 0, requestsBucket?.msPerUnit ?? 0, tokensBucket?.capacity ?? 0, tokensBucket?.msPerUnit ?? 0,
        tokens, maxConcurrency, id, this.leaseMs, pollMs,
      ],
      this.redisTimeoutMs,
    )) as AcquireReply;
  }

  /** One hash tag per limited key keeps all of its keys in one Redis Cluster slot, as a multi-key script requires. */
  private keys(key: string): LimitKeys {
    const base = `${this.keyPrefix}{${key}}`;
    return {
      requests: `${base}:rpm`,
      tokens: `${base}:tpm`,
      leases: `${base}:leases`,
      block: `${base}:blocked-until`,
      strikes: `${base}:429-strikes`,
      providerRequests: `${base}:provider-requests`,
      providerTokens: `${base}:provider-tokens`,
    };
  }

  private async runQuietly(script: () => Promise<unknown>): Promise<void> {
    try {
      await script();
      this.redisDown = false;
    } catch (error) {
      this.warnRedisDown(error);
    }
  }

  private warnRedisDown(error: unknown): void {
    if (this.redisDown) return;
    this.redisDown = true;
    this.logger.warn(`Redis unavailable, provider calls go without shared rate limits: ${(error as Error).message}`);
  }
}
