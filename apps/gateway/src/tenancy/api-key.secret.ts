import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** What a key looks like: `ys_live_<8 id chars>_<43 base64url chars of 32 random bytes>`. */
const KEY_PATTERN = /^(ys_live_[a-z0-9]{8})_([A-Za-z0-9_-]{43})$/;
const PREFIX_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

export interface IssuedApiKey {
  /** Shown to the user once, never stored. */
  key: string;
  prefix: string;
  hash: Buffer;
}

/** A new key: 256 random bits after a readable prefix that also serves as its lookup id. */
export function issueApiKey(): IssuedApiKey {
  const idBytes = randomBytes(8);
  const id = Array.from(idBytes, (byte) => PREFIX_ALPHABET[byte % PREFIX_ALPHABET.length]).join('');
  const prefix = `ys_live_${id}`;
  const key = `${prefix}_${randomBytes(32).toString('base64url')}`;
  return { key, prefix, hash: hashApiKey(key) };
}

export function hashApiKey(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}

/** The prefix of a well-formed key, or null: malformed keys are refused before any database lookup. */
export function apiKeyPrefix(key: string): string | null {
  return KEY_PATTERN.exec(key)?.[1] ?? null;
}

export function apiKeyMatches(key: string, storedHash: Buffer): boolean {
  const hash = hashApiKey(key);
  return hash.length === storedHash.length && timingSafeEqual(hash, storedHash);
}
