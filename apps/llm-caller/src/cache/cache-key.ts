import { createHash } from 'node:crypto';

/** Bumped when the cached value's shape or the key's contents change: old entries are then simply never read. */
export const CACHE_VERSION = 'v1';

/** `<REDIS_KEY_PREFIX>:cache:v1`: deployments (and test runs) sharing a Redis keep apart by their prefix. */
export function cachePrefix(redisKeyPrefix: string): string {
  return `${redisKeyPrefix}:cache:${CACHE_VERSION}`;
}

/** JSON with object keys sorted at every depth and undefined dropped, so equal requests give equal text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/**
 * `ys:cache:v1:<endpoint>:<model>:<sha256 of the canonical request>`. Endpoint and model stay readable in the key so
 * that one endpoint's or model's entries can be found and cleared.
 */
export function cacheKey(prefix: string, endpoint: string, model: string, request: Record<string, unknown>): string {
  const digest = createHash('sha256').update(canonicalJson({ endpoint, model, ...request })).digest('hex');
  return `${prefix}:${encodeURIComponent(endpoint)}:${encodeURIComponent(model)}:${digest}`;
}

export function cachePattern(prefix: string, endpoint?: string, model?: string): string {
  const escape = (part: string) => encodeURIComponent(part).replace(/[*?[\]\\]/g, '\\$&');
  return `${prefix}:${endpoint ? escape(endpoint) : '*'}:${model ? escape(model) : '*'}:*`;
}
