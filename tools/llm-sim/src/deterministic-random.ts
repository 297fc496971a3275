import { createHash } from 'node:crypto';

/** A uniform number in [0, 1) derived from the parts; equal parts always give the same number. */
export function hashToUnit(...parts: unknown[]): number {
  const digest = createHash('sha256').update(JSON.stringify(parts)).digest();
  // 48 bits fit exactly in a double, so the result is uniform and never reaches 1.
  return digest.readUIntBE(0, 6) / 2 ** 48;
}

/** An integer in [0, size) derived from the parts. */
export function hashToIndex(size: number, ...parts: unknown[]): number {
  return Math.floor(hashToUnit(...parts) * size);
}

/** A fast 32-bit string hash (FNV-1a over UTF-16 units with a murmur3 finaliser), salted. */
export function hash32(text: string, salt = 0): number {
  let h = (0x811c9dc5 ^ salt) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A seeded PRNG (mulberry32): reproducible fault and jitter sequences for a given seed. */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = hash32(String(seed), 0x9e3779b9);
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}
