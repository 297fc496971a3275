import { Injectable, Logger } from '@nestjs/common';
import { CacheStatsView } from '@yardstick/contracts';
import { LlmCallerEnv } from '../config/llm-caller.env';
import { RedisConnection } from '../redis.module';
import { cacheKey, cachePattern, cachePrefix } from './cache-key';

/**
 * Stores an entry and keeps the cache within its memory bound: entries are indexed by write time, and the oldest
 * (first the expired ones) are evicted until the total fits. Sizes are tracked per entry so eviction and clearing
 * keep the byte count exact.
 */
const STORE = `
local old = redis.call('HGET', KEYS[3], KEYS[1])
if old then redis.call('DECRBY', KEYS[4], old) end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
local size = string.len(ARGV[1]) + string.len(KEYS[1])
redis.call('HSET', KEYS[3], KEYS[1], size)
redis.call('ZADD', KEYS[2], ARGV[3], KEYS[1])
local total = redis.call('INCRBY', KEYS[4], size)
local evicted = 0
local expiredBefore = tonumber(ARGV[3]) - tonumber(ARGV[2])
while true do
  local oldest = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
  if #oldest == 0 then break end
  if total <= tonumber(ARGV[4]) and tonumber(oldest[2]) >= expiredBefore then break end
  redis.call('ZREM', KEYS[2], oldest[1])
  local s = redis.call('HGET', KEYS[3], oldest[1])
  redis.call('HDEL', KEYS[3], oldest[1])
  if oldest[1] ~= KEYS[1] then redis.call('DEL', oldest[1]) end
  if s then total = redis.call('DECRBY', KEYS[4], s) end
  evicted = evicted + 1
end
return evicted`;

const FORGET = `
local s = redis.call('HGET', KEYS[3], KEYS[1])
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], KEYS[1])
redis.call('HDEL', KEYS[3], KEYS[1])
if s then redis.call('DECRBY', KEYS[4], s) end
return s and 1 or 0`;

export class CacheUnavailableError extends Error {}

/** The shared response cache in Redis. Every method throws CacheUnavailableError when Redis does not answer. */
@Injectable()
export class ResponseCache {
  private readonly logger = new Logger(ResponseCache.name);
  private readonly prefix: string;
  private readonly index: string;
  private readonly sizes: string;
  private readonly bytes: string;
  private readonly counters: string;

  constructor(
    private readonly redis: RedisConnection,
    private readonly env: LlmCallerEnv,
  ) {
    this.prefix = cachePrefix(env.REDIS_KEY_PREFIX);
    [this.index, this.sizes, this.bytes, this.counters] = ['index', 'sizes', 'bytes', 'stats'].map((name) => `${this.prefix}:${name}`);
  }

  key(endpoint: string, model: string, request: Record<string, unknown>): string {
    return cacheKey(this.prefix, endpoint, model, request);
  }

  async get<T>(key: string): Promise<T | null> {
    const raw = await this.call(() => this.redis.client.get(key));
    return raw === null ? null : (JSON.parse(raw) as T);
  }

  async set(key: string, value: unknown): Promise<void> {
    await this.call(() => this.redis.client.eval(STORE, 4, key, this.index, this.sizes, this.bytes, JSON.stringify(value), this.env.CACHE_TTL_MS, Date.now(),
      this.env.CACHE_MAX_BYTES));
  }

  /**
   * Claims the right to fill `key`; if another replica holds it, waits (polling) until that replica stored the value
   * (returned) or gave up (null: the caller calls itself). The claim expires on its own if its holder dies.
   */
  async waitForFill<T>(key: string, maxWaitMs: number): Promise<T | null> {
    const deadline = Date.now() + maxWaitMs;
    for (;;) {
      const claimed = await this.call(() => this.redis.client.set(`${key}:fill`, '1', 'PX', maxWaitMs, 'NX'));
      if (claimed === 'OK') return null;
      await new Promise((resolve) => setTimeout(resolve, 50));
      const value = await this.get<T>(key);
      if (value) return value;
      if (Date.now() > deadline) return null;
    }
  }

  async releaseFill(key: string): Promise<void> {
    await this.call(() => this.redis.client.del(`${key}:fill`));
  }

  /** Counts a lookup; a hit also counts the tokens and cost it saved. */
  async record(hit: boolean, savedTokens = 0, savedCostUsd = 0): Promise<void> {
    await this.call(async () => {
      const pipeline = this.redis.client.multi().hincrby(this.counters, hit ? 'hits' : 'misses', 1);
      if (hit) pipeline.hincrby(this.counters, 'saved_tokens', savedTokens).hincrbyfloat(this.counters, 'saved_cost_usd', savedCostUsd);
      await pipeline.exec();
    });
  }

  async stats(): Promise<CacheStatsView> {
    const [counters, entries, bytes] = await this.call(() => Promise.all([
      this.redis.client.hgetall(this.counters), this.redis.client.zcard(this.index), this.redis.client.get(this.bytes),
    ]));
    const hits = Number(counters.hits ?? 0);
    const misses = Number(counters.misses ?? 0);
    return {
      hits, misses, hitRate: hits + misses ? hits / (hits + misses) : null, entries, memoryBytes: Number(bytes ?? 0),
      maxMemoryBytes: this.env.CACHE_MAX_BYTES, savedTokens: Number(counters.saved_tokens ?? 0),
      savedCostUsd: Number(Number(counters.saved_cost_usd ?? 0).toFixed(10)),
    };
  }

  /** Deletes the entries of one endpoint and/or model (all of them without a filter); returns how many. */
  async clear(endpoint?: string, model?: string): Promise<number> {
    let deleted = 0;
    let cursor = '0';
    do {
      const [next, keys] = await this.call(() => this.redis.client.scan(cursor, 'MATCH', cachePattern(this.prefix, endpoint, model), 'COUNT', 500));
      cursor = next;
      for (const key of keys) deleted += Number(await this.call(() => this.redis.client.eval(FORGET, 4, key, this.index, this.sizes, this.bytes)));
    } while (cursor !== '0');
    this.logger.log(`cleared ${deleted} cache entries${endpoint ? ` of endpoint ${endpoint}` : ''}${model ? ` for model ${model}` : ''}`);
    return deleted;
  }

  private async call<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      throw new CacheUnavailableError(`the response cache (Redis) did not answer: ${(error as Error).message}`);
    }
  }
}
