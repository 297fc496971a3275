import { randomBytes } from 'node:crypto';
import { SecretBox, SecretBoxError } from './secret-box';

const k1 = randomBytes(32);
const k2 = randomBytes(32);

describe(SecretBox.name, () => {
  it('seals and opens, with a fresh IV each time and no plaintext in the sealed form', () => {
    const box = new SecretBox({ k1 }, 'k1');
    const a = box.seal('sk-secret-1234');
    const b = box.seal('sk-secret-1234');
    expect(a).not.toBe(b);
    expect(a).not.toContain('sk-secret');
    expect(box.open(a)).toBe('sk-secret-1234');
  });

  it('opens secrets sealed under an older key after rotation, and seals new ones under the active key', () => {
    const old = new SecretBox({ k1 }, 'k1').seal('key-a');
    const rotated = new SecretBox({ k1, k2 }, 'k2');
    expect(rotated.open(old)).toBe('key-a');
    expect(SecretBox.keyIdOf(rotated.seal('key-a'))).toBe('k2');
  });

  it('refuses a tampered secret or a missing key without revealing material', () => {
    const box = new SecretBox({ k1 }, 'k1');
    const sealed = box.seal('x');
    const tampered = sealed.slice(0, -2) + (sealed.endsWith('A') ? 'B' : 'A') + sealed.slice(-1);
    expect(() => box.open(tampered)).toThrow(SecretBoxError);
    expect(() => new SecretBox({ k2 }, 'k2').open(sealed)).toThrow('key "k1", which is not in the keyring');
  });

  it('reads the keyring from the environment and names the variable when it is wrong', () => {
    const box = SecretBox.fromEnv({ SECRET_KEYS: `k1:${k1.toString('base64')},k2:${k2.toString('base64')}` });
    expect(box.currentKeyId).toBe('k2');
    expect(() => SecretBox.fromEnv({})).toThrow('SECRET_KEYS');
    expect(() => SecretBox.fromEnv({ SECRET_KEYS: 'k1:c2hvcnQ=' })).toThrow('must be 32 bytes');
  });
});
