import { cacheKey, cachePattern, canonicalJson } from './cache-key';

describe('cache key', () => {
  it('does not depend on the order of keys, and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: undefined }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"y":2}]},"b":1}');
    expect(cacheKey('ys:cache:v1', 'e', 'm', { input: 'q', params: { temperature: 0, topP: 1 } }))
      .toBe(cacheKey('ys:cache:v1', 'e', 'm', { params: { topP: 1, temperature: 0 }, input: 'q' }));
  });

  it('differs for anything that changes the output, including the replicate index', () => {
    const base = { input: 'q', instructions: 'i', params: { temperature: 0 }, replicate: 1 };
    const keys = new Set([
      cacheKey('ys:cache:v1', 'e', 'm', base), cacheKey('ys:cache:v1', 'e2', 'm', base), cacheKey('ys:cache:v1', 'e', 'm2', base), cacheKey('ys:cache:v1', 'e', 'm', { ...base, input: 'q2' }),
      cacheKey('ys:cache:v1', 'e', 'm', { ...base, instructions: 'j' }), cacheKey('ys:cache:v1', 'e', 'm', { ...base, params: { temperature: 1 } }),
      cacheKey('ys:cache:v1', 'e', 'm', { ...base, replicate: 2 }),
    ]);
    expect(keys.size).toBe(7);
  });

  it('keeps endpoint and model findable, with glob characters escaped', () => {
    expect(cacheKey('ys:cache:v1', 'default', 'gpt-4o', {})).toMatch(/^ys:cache:v1:default:gpt-4o:[0-9a-f]{64}$/);
    expect(cachePattern('ys:cache:v1', 'default', 'a*b')).toBe('ys:cache:v1:default:a\\*b:*');
    expect(cachePattern('ys:cache:v1')).toBe('ys:cache:v1:*:*:*');
  });
});
