import { randomUUID } from 'node:crypto';
import { constants as fsConstants, createWriteStream } from 'node:fs';
import { access, mkdir, open, rename, rm, stat, unlink, writeFile, type FileHandle } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { assertValidBlobKey } from './blob-key.validation';
import type { BlobBody, BlobStore } from './blob-store';
import { BlobNotFoundError } from './blob-store.error';

// ENOTDIR: a parent segment of the key is itself a blob, so this key cannot exist.
const MISSING_PATH_CODES = new Set(['ENOENT', 'ENOTDIR']);

export class FilesystemBlobStore implements BlobStore {
  readonly driver = 'fs' as const;
  readonly rootDir: string;

  constructor(rootDir: string) {
    this.rootDir = resolve(rootDir);
  }

  async put(key: string, body: BlobBody): Promise<void> {
    const target = this.pathOf(key);
    const dir = dirname(target);
    await mkdir(dir, { recursive: true });
    // Same directory as the target so rename() stays on one filesystem and is atomic.
    const temp = join(dir, `.blob-${randomUUID()}.tmp`);
    try {
      // flush: fsync before close, so a crash cannot leave an empty file under the final name.
      // (Not a FileHandle stream with autoClose: false: on Node 20 its handle.close() never settles.)
      if (body instanceof Readable) {
        await pipeline(body, createWriteStream(temp, { flags: 'wx', flush: true }));
      } else {
        await writeFile(temp, body, { flag: 'wx', flush: true });
      }
      await rename(temp, target);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }

  async getStream(key: string): Promise<Readable> {
    const handle = await this.openBlob(key);
    return handle.createReadStream();
  }

  async getBuffer(key: string): Promise<Buffer> {
    const handle = await this.openBlob(key);
    try {
      return await handle.readFile();
    } finally {
      await handle.close();
    }
  }

  async exists(key: string): Promise<boolean> {
    try {
      return (await stat(this.pathOf(key))).isFile();
    } catch (error) {
      if (isMissingPath(error)) return false;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    try {
      await unlink(this.pathOf(key));
    } catch (error) {
      if (!isMissingPath(error)) throw error;
    }
  }

  async ping(): Promise<void> {
    await mkdir(this.rootDir, { recursive: true });
    await access(this.rootDir, fsConstants.R_OK | fsConstants.W_OK);
  }

  private pathOf(key: string): string {
    assertValidBlobKey(key);
    return join(this.rootDir, ...key.split('/'));
  }

  /** Opens eagerly so a missing key rejects here instead of erroring later inside a stream. */
  private async openBlob(key: string): Promise<FileHandle> {
    const path = this.pathOf(key);
    let handle: FileHandle;
    try {
      handle = await open(path, 'r');
    } catch (error) {
      if (isMissingPath(error)) throw new BlobNotFoundError(key, { cause: error });
      throw error;
    }
    try {
      // A directory is a key prefix, not a blob (S3 has no directories).
      if (!(await handle.stat()).isFile()) throw new BlobNotFoundError(key);
      return handle;
    } catch (error) {
      await handle.close();
      throw error;
    }
  }
}

// Structural, not `instanceof Error`: errors from Node built-ins come from another realm under Jest's VM.
function isMissingPath(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && MISSING_PATH_CODES.has(code);
}
