import { InvalidBlobKeyError } from './blob-store.error';

/** S3's own limit; the filesystem driver keeps it too so a key valid in one driver is valid in both. */
const MAX_KEY_BYTES = 1024;

// C0 controls, DEL and C1 controls: they break log lines, HTTP headers and terminal output.
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * Keys must map to the same object in both drivers, so anything a filesystem would
 * normalize or escape with (`.`, `..`, empty segments, absolute paths, `\`) is refused
 * rather than silently rewritten.
 */
export function assertValidBlobKey(key: string): void {
  if (typeof key !== 'string' || key.length === 0) {
    throw new InvalidBlobKeyError(String(key), 'must be a non-empty string');
  }
  if (Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) {
    throw new InvalidBlobKeyError(key, `must be at most ${MAX_KEY_BYTES} bytes in UTF-8`);
  }
  if (CONTROL_CHARACTER.test(key)) {
    throw new InvalidBlobKeyError(key, 'must not contain control characters');
  }
  if (key.includes('\\')) {
    throw new InvalidBlobKeyError(key, 'must use "/" as separator, not "\\"');
  }
  if (key.startsWith('/')) {
    throw new InvalidBlobKeyError(key, 'must be relative, not start with "/"');
  }
  for (const segment of key.split('/')) {
    if (segment === '') {
      throw new InvalidBlobKeyError(key, 'must not contain empty segments or end with "/"');
    }
    if (segment === '.' || segment === '..') {
      throw new InvalidBlobKeyError(key, 'must not contain "." or ".." segments');
    }
  }
}
