import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const FORMAT = 'v1';
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

export class SecretBoxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretBoxError';
  }
}

/**
 * Encrypts secrets (provider API keys) with AES-256-GCM. A sealed secret names the key that sealed it
 * (`v1:<key id>:<iv>:<tag>:<ciphertext>`, base64url parts), so keys can be rotated: add a new key, make it
 * active, re-seal every stored secret, then drop the old key.
 */
export class SecretBox {
  private readonly keys: Map<string, Buffer>;

  constructor(keys: Record<string, Buffer>, private readonly activeKeyId: string) {
    this.keys = new Map(Object.entries(keys));
    for (const [id, key] of this.keys) {
      if (!KEY_ID.test(id)) throw new SecretBoxError(`key id "${id}" must match ${KEY_ID}`);
      if (key.length !== 32) throw new SecretBoxError(`key "${id}" must be 32 bytes (AES-256), got ${key.length}`);
    }
    if (!this.keys.has(activeKeyId)) throw new SecretBoxError(`the active key id "${activeKeyId}" is not in the keyring`);
  }

  /**
   * From `SECRET_KEYS` (`<id>:<base64 of 32 bytes>` entries, comma-separated) and `SECRET_ACTIVE_KEY_ID`
   * (default: the last key listed). Errors name the variable and never include key material.
   */
  static fromEnv(env: NodeJS.ProcessEnv = process.env): SecretBox {
    const raw = env.SECRET_KEYS?.trim();
    if (!raw) throw new SecretBoxError('SECRET_KEYS is not set (e.g. "k1:<base64 of 32 random bytes>")');
    const entries = raw.split(',').map((entry, index) => {
      const [id, material, ...rest] = entry.trim().split(':');
      if (!id || !material || rest.length) throw new SecretBoxError(`SECRET_KEYS entry ${index + 1} must be "<id>:<base64 key>"`);
      return [id, Buffer.from(material, 'base64')] as const;
    });
    const active = env.SECRET_ACTIVE_KEY_ID?.trim() || entries[entries.length - 1][0];
    try {
      return new SecretBox(Object.fromEntries(entries), active);
    } catch (error) {
      throw new SecretBoxError(`SECRET_KEYS / SECRET_ACTIVE_KEY_ID: ${(error as Error).message}`);
    }
  }

  get currentKeyId(): string {
    return this.activeKeyId;
  }

  seal(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.activeKeyId)!, iv);
    cipher.setAAD(Buffer.from(`${FORMAT}:${this.activeKeyId}`));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [FORMAT, this.activeKeyId, iv, cipher.getAuthTag(), ciphertext]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join(':');
  }

  open(sealed: string): string {
    const [format, keyId, iv, tag, ciphertext] = sealed.split(':');
    if (format !== FORMAT || !keyId || ciphertext === undefined) throw new SecretBoxError('not a sealed secret');
    const key = this.keys.get(keyId);
    if (!key) throw new SecretBoxError(`the secret was sealed with key "${keyId}", which is not in the keyring`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(`${FORMAT}:${keyId}`));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretBoxError(`the secret sealed with key "${keyId}" does not open (wrong key or tampered)`);
    }
  }

  /** The key id a sealed secret names, to find the ones a rotation must re-seal. */
  static keyIdOf(sealed: string): string | undefined {
    return sealed.split(':')[1];
  }
}
