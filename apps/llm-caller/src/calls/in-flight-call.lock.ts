import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { LlmCallerEnv } from '../config/llm-caller.env';
import { RedisConnection } from '../redis.module';

const RELEASE_IF_OWNER = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
const RENEW_IF_OWNER = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
const POLL_MS = 200;

/**
 * Keeps two deliveries of the same item's work (a redelivery, or a re-dispatch after an expired lease) from calling
 * the provider at the same time on different replicas. The lock expires on its own if its holder dies.
 * Without Redis the call goes ahead: the result ledger in Postgres still records one result.
 */
@Injectable()
export class InFlightCallLock {
  private readonly logger = new Logger(InFlightCallLock.name);
  private readonly ttlMs: number;
  private readonly prefix: string;

  constructor(
    private readonly redis: RedisConnection,
    env: LlmCallerEnv,
  ) {
    this.ttlMs = env.PROVIDER_TIMEOUT_MS + 5_000;
    this.prefix = `${env.REDIS_KEY_PREFIX}:llm-call`;
  }

  /**
   * A release function once the lock is ours; or null when, while waiting for its holder, `done` reported the
   * holder's result (the caller then reads it instead of calling).
   */
  async acquireOrWait(key: string, done: () => Promise<unknown>): Promise<(() => Promise<void>) | null> {
    const token = randomUUID();
    const redisKey = `${this.prefix}:${key}`;
    for (;;) {
      try {
        if ((await this.redis.client.set(redisKey, token, 'PX', this.ttlMs, 'NX')) === 'OK') {
          // Held for as long as the work takes (a slow provider, a Postgres outage while recording); expires if we die.
          const renewal = setInterval(() => {
            this.redis.client.eval(RENEW_IF_OWNER, 1, redisKey, token, this.ttlMs).catch(() => undefined);
          }, Math.max(1_000, this.ttlMs / 3));
          return async () => {
            clearInterval(renewal);
            await this.redis.client.eval(RELEASE_IF_OWNER, 1, redisKey, token).catch(() => undefined);
          };
        }
      } catch (error) {
        this.logger.warn(`Redis unavailable, calling without the in-flight lock: ${(error as Error).message}`);
        return async () => undefined;
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      if (await done()) return null;
    }
  }
}
