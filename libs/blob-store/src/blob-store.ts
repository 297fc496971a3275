import type { Readable } from 'node:stream';

export type BlobStoreDriver = 'fs' | 's3';

export type BlobBody = Buffer | string | Readable;

export interface BlobPutOptions {
  /** Stored as the object's Content-Type by the S3 driver; the filesystem driver ignores it. */
  contentType?: string;
}

/**
 * Where dataset files, normalized dataset items and per-run result units live.
 * Keys are relative, `/`-separated paths (see `assertValidBlobKey`).
 */
export interface BlobStore {
  readonly driver: BlobStoreDriver;
  /** Replaces any blob under the key; readers see the old blob or the whole new one, never a part. */
  put(key: string, body: BlobBody, options?: BlobPutOptions): Promise<void>;
  /** Rejects with `BlobNotFoundError` before any byte is read when the key is missing. */
  getStream(key: string): Promise<Readable>;
  getBuffer(key: string): Promise<Buffer>;
  exists(key: string): Promise<boolean>;
  /** Idempotent: deleting a missing key resolves, so a redelivered message can delete again. */
  delete(key: string): Promise<void>;
  /** Readiness check: rejects when the store cannot serve reads and writes. */
  ping(): Promise<void>;
}
