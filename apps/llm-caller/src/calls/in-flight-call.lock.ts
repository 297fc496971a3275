import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { RedisConnection } from '../redis.module';

const RELEASE_IF_OWNER = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/**
 * Keeps two deliveries of the same item's work (a redelivery, or a re-dispatch after an expired lease) from calling
 * the provider at the same time on different replicas. The lock expires on its own if its holder dies.
 * Without Redis the call goes ahead: the result ledger in Postgres still records one result.
 */
@Injectable()
export class InFlightCallLock {
  private readonly logger = new Logger(InFlightCallLock.name);

  constructor(private readonly redis: RedisConnection) {}

  /** A release function, or null when another holder is calling. */
  async acquire(key: string, ttlMs: number): Promise<(() => Promise<void>) | null> {
    const token = randomUUID();
    const redisKey = `ys:llm-call:${key}`;
    try {
      const acquired = await this.redis.client.set(redisKey, token, 'PX', ttlMs, 'NX');
      if (acquired !== 'OK') return null;
    } catch (error) {
      this.logger.warn(`Redis unavailable, calling without the in-flight lock: ${(error as Error).message}`);
      return async () => undefined;
    }
    return async () => {
      await this.redis.client.eval(RELEASE_IF_OWNER, 1, redisKey, token).catch(() => undefined);
    };
  }
}
