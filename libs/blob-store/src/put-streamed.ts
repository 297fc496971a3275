import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import type { BlobPutOptions, BlobStore } from './blob-store';

/** Writes one chunk of a streamed blob; resolves once the store has room for more (backpressure). */
export type WriteChunk = (chunk: string) => Promise<void>;

/**
 * Stores under `key` what `produce` writes, as it writes it: the store reads the chunks while they are produced, so
 * neither side holds the whole blob. If `produce` throws, the upload is abandoned (the store keeps no part of it) and
 * the error is rethrown; otherwise resolves with what `produce` returned once the blob is stored.
 */
export async function putStreamed<T>(store: BlobStore, key: string, produce: (write: WriteChunk) => Promise<T>, options?: BlobPutOptions): Promise<T> {
  const out = new PassThrough();
  // The producer's error reaches the caller by the throw below; the store may not have attached its reader yet.
  out.on('error', () => undefined);
  const stored = store.put(key, out, options);
  let result: T;
  try {
    result = await produce(async (chunk) => {
      // once() also rejects if the stream errors (the store gave up reading), so a writer never waits forever.
      if (!out.write(chunk)) await once(out, 'drain');
    });
    out.end();
  } catch (error) {
    out.destroy(error as Error);
    await stored.catch(() => undefined);
    throw error;
  }
  await stored;
  return result;
}
