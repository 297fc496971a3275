import { apiKeyMatches, apiKeyPrefix, issueApiKey } from './api-key.secret';

describe('api key secrets', () => {
  it('issues keys with a readable prefix, 256 random bits and a hash that only the same key matches', () => {
    const first = issueApiKey();
    const second = issueApiKey();
    expect(first.key).toMatch(/^ys_live_[a-z0-9]{8}_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(first.key.slice(first.prefix.length + 1), 'base64url')).toHaveLength(32);
    expect(first.key).not.toBe(second.key);
    expect(apiKeyPrefix(first.key)).toBe(first.prefix);
    expect(apiKeyMatches(first.key, first.hash)).toBe(true);
    expect(apiKeyMatches(second.key, first.hash)).toBe(false);
  });

  it.each(['', 'Bearer x', 'ys_live_ABCDEFGH_' + 'a'.repeat(43), 'ys_live_abcd1234_short', 'ys_live_abcd1234_' + 'a'.repeat(44)])(
    'refuses the malformed key %p without a lookup',
    (key) => expect(apiKeyPrefix(key)).toBeNull(),
  );
});
