import { createHash } from 'node:crypto';
import type Redis from 'ioredis';

// Every script reads the clock from Redis (TIME), so replicas whose clocks disagree still share one timeline.
const NOW = `
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + tonumber(clock[2]) / 1000
local function stamp(ms) return string.format('%.3f', ms) end
`;

/**
 * KEYS: requests bucket, tokens bucket, leases (zset), block, provider requests budget, provider tokens budget.
 * ARGV: requests capacity, ms per request (0: no limit), tokens capacity, ms per token (0: no limit), tokens,
 *       max concurrency (0: none), permit id, lease ms, concurrency poll ms.
 * A bucket is one number, the time it was (or will be) empty; its level at `now` is (now - empty_at) / ms per unit,
 * at most its capacity. Either every limit admits the call and all of them are charged, or nothing is charged and
 * the reply says how long the longest one needs: { 1 } or { 0, wait ms, reason }.
 */
const ACQUIRE = `${NOW}
local tokens = tonumber(ARGV[5])
local wait, reason = 0, ''
local function need(ms, why) if ms > wait then wait, reason = ms, why end end

local function bucket(key, capacity, ms_per_unit, cost)
  if ms_per_unit <= 0 then return nil end
  local empty_at = math.max(tonumber(redis.call('GET', key) or '0'), now - capacity * ms_per_unit)
  return empty_at, empty_at + math.min(cost, capacity) * ms_per_unit - now
end

local function provider(key, cost)
  local b = redis.call('HMGET', key, 'remaining', 'at', 'per_ms', 'reset_at')
  if not b[1] or now >= tonumber(b[4]) then return nil end
  local per_ms = tonumber(b[3])
  local available = tonumber(b[1]) + (now - tonumber(b[2])) * per_ms
  if available >= cost then return available, 0 end
  local until_reset = tonumber(b[4]) - now
  if per_ms > 0 then return available, math.min(until_reset, (cost - available) / per_ms) end
  return available, until_reset
end

local blocked_until = tonumber(redis.call('GET', KEYS[4]) or '0')
need(blocked_until - now, 'blocked')
local req_available, req_wait = provider(KEYS[5], 1)
if req_wait then need(req_wait, 'provider_requests') end
local tok_available, tok_wait = provider(KEYS[6], tokens)
if tok_wait then need(tok_wait, 'provider_tokens') end
local rpm_capacity, rpm_ms = tonumber(ARGV[1]), tonumber(ARGV[2])
local rpm_empty_at, rpm_wait = bucket(KEYS[1], rpm_capacity, rpm_ms, 1)
if rpm_wait then need(rpm_wait, 'requests') end
local tpm_capacity, tpm_ms = tonumber(ARGV[3]), tonumber(ARGV[4])
local tpm_empty_at, tpm_wait = bucket(KEYS[2], tpm_capacity, tpm_ms, tokens)
if tpm_wait then need(tpm_wait, 'tokens') end
local max_concurrency, lease_ms = tonumber(ARGV[6]), tonumber(ARGV[8])
if max_concurrency > 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
  if redis.call('ZCARD', KEYS[3]) >= max_concurrency then
    local first = redis.call('ZRANGE', KEYS[3], 0, 0, 'WITHSCORES')
    need(math.min(tonumber(first[2]) - now, tonumber(ARGV[9])), 'concurrency')
  end
end
if wait > 0 then return { 0, math.ceil(wait), reason } end

local function charge(key, empty_at, capacity, ms_per_unit, cost)
  local next_empty_at = empty_at + cost * ms_per_unit
  redis.call('SET', key, stamp(next_empty_at), 'PX', math.ceil(next_empty_at + capacity * ms_per_unit - now) + 1000)
end
if rpm_empty_at then charge(KEYS[1], rpm_empty_at, rpm_capacity, rpm_ms, 1) end
if tpm_empty_at then charge(KEYS[2], tpm_empty_at, tpm_capacity, tpm_ms, tokens) end
if req_available then redis.call('HSET', KEYS[5], 'remaining', stamp(req_available - 1), 'at', stamp(now)) end
if tok_available then redis.call('HSET', KEYS[6], 'remaining', stamp(tok_available - tokens), 'at', stamp(now)) end
if max_concurrency > 0 then
  redis.call('ZADD', KEYS[3], stamp(now + lease_ms), ARGV[7])
  redis.call('PEXPIRE', KEYS[3], lease_ms + 1000)
end
return { 1 }
`;

/**
 * KEYS: leases, tokens bucket. ARGV: permit id, tokens to add to the charge (negative: give back), tokens capacity,
 * ms per token (0: no limit). Gives the lease up and corrects the tokens bucket by the call's real usage.
 */
const RELEASE = `${NOW}
redis.call('ZREM', KEYS[1], ARGV[1])
local delta, capacity, ms_per_unit = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
if ms_per_unit > 0 and delta ~= 0 then
  local empty_at = math.max(tonumber(redis.call('GET', KEYS[2]) or '0'), now - capacity * ms_per_unit) + delta * ms_per_unit
  local ttl = math.ceil(empty_at + capacity * ms_per_unit - now) + 1000
  if ttl > 0 then redis.call('SET', KEYS[2], stamp(empty_at), 'PX', ttl) else redis.call('DEL', KEYS[2]) end
end
return 1
`;

/** KEYS: leases. ARGV: permit id, lease ms. 1 when the lease was still held and now runs lease ms from now. */
const RENEW = `${NOW}
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then return 0 end
redis.call('ZADD', KEYS[1], 'XX', stamp(now + tonumber(ARGV[2])), ARGV[1])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]) + 1000)
return 1
`;

/**
 * KEYS: block, 429 strikes. ARGV: the provider's retry-after ms (-1: not given), first backoff ms, longest backoff ms.
 * Without a retry-after, consecutive 429s (within a minute of each other) double the block. Returns the block in ms.
 */
const BLOCK = `${NOW}
local strikes = redis.call('INCR', KEYS[2])
redis.call('PEXPIRE', KEYS[2], 60000)
local block_ms = tonumber(ARGV[1])
if block_ms < 0 then block_ms = math.min(tonumber(ARGV[3]), tonumber(ARGV[2]) * 2 ^ (strikes - 1)) end
local blocked_until = now + block_ms
if blocked_until > tonumber(redis.call('GET', KEYS[1]) or '0') then
  redis.call('SET', KEYS[1], stamp(blocked_until), 'PX', math.ceil(block_ms) + 1)
end
return math.ceil(block_ms)
`;

/**
 * KEYS: provider requests budget, provider tokens budget. ARGV per budget (requests then tokens): remaining, reset ms,
 * limit (-1: not given; remaining -1: budget not reported). Records what the provider has left and how fast it comes
 * back: linearly to its limit by the reset time when the limit is known, all at once at the reset time otherwise.
 */
const OBSERVE = `${NOW}
local function record(key, remaining, reset_ms, limit)
  if remaining < 0 or reset_ms <= 0 then return end
  local per_ms = 0
  if limit > remaining then per_ms = (limit - remaining) / reset_ms end
  redis.call('HSET', key, 'remaining', stamp(remaining), 'at', stamp(now), 'per_ms', string.format('%.9f', per_ms), 'reset_at', stamp(now + reset_ms))
  redis.call('PEXPIRE', key, math.ceil(reset_ms) + 1000)
end
record(KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]))
record(KEYS[2], tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6]))
return 1
`;

/** A Lua script run by its SHA-1, sent in full only when this Redis has not cached it yet (after a restart, say). */
export class LuaScript {
  private readonly sha: string;

  constructor(private readonly body: string) {
    this.sha = createHash('sha1').update(body).digest('hex');
  }

  /** Rejects after `timeoutMs`: a Redis that hangs must not hold provider calls up any more than one that is down. */
  async run(redis: Redis, keys: string[], args: Array<string | number>, timeoutMs = 1_000): Promise<unknown> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Redis did not answer within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      return await Promise.race([this.evaluate(redis, keys, args), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async evaluate(redis: Redis, keys: string[], args: Array<string | number>): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error as Error).message?.startsWith('NOSCRIPT')) throw error;
      return redis.eval(this.body, keys.length, ...keys, ...args);
    }
  }
}

export const RateLimitScripts = {
  acquire: new LuaScript(ACQUIRE),
  release: new LuaScript(RELEASE),
  renew: new LuaScript(RENEW),
  block: new LuaScript(BLOCK),
  observe: new LuaScript(OBSERVE),
};
