import { createReadStream, createWriteStream, mkdtempSync, rmSync, type ReadStream, type WriteStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newId } from './completion-answer';

/** The OpenAI `file` object. */
export interface StoredFile {
  id: string;
  object: 'file';
  bytes: number;
  created_at: number;
  filename: string;
  purpose: string;
  status: 'processed';
  expires_at: number | null;
  status_details: null;
}

/**
 * Uploaded and produced files, kept on disk in a temp dir (files go up to 200 MB, so never in memory).
 * A deleted file a batch still reads stays on disk until the batch releases it.
 */
export class FileStore {
  private readonly dir = mkdtempSync(join(tmpdir(), 'llm-sim-files-'));
  private readonly files = new Map<string, StoredFile>();
  private readonly pins = new Map<string, number>();
  private readonly unlinkWhenReleased = new Set<string>();

  newId(): string {
    return newId('file-', 12);
  }

  pathOf(id: string): string {
    return join(this.dir, id);
  }

  /** A stream to write the content of a file that `register` will list once complete. */
  createWriter(id: string): WriteStream {
    return createWriteStream(this.pathOf(id));
  }

  async register(id: string, filename: string, purpose: string): Promise<StoredFile> {
    const { size } = await stat(this.pathOf(id));
    const file: StoredFile = {
      id,
      object: 'file',
      bytes: size,
      created_at: Math.floor(Date.now() / 1000),
      filename,
      purpose,
      status: 'processed',
      expires_at: null,
      status_details: null,
    };
    this.files.set(id, file);
    return file;
  }

  get(id: string): StoredFile | undefined {
    return this.files.get(id);
  }

  /** Newest first. */
  list(): StoredFile[] {
    return [...this.files.values()].reverse();
  }

  openRead(id: string): ReadStream {
    return createReadStream(this.pathOf(id));
  }

  pin(id: string): void {
    this.pins.set(id, (this.pins.get(id) ?? 0) + 1);
  }

  async release(id: string): Promise<void> {
    const count = (this.pins.get(id) ?? 1) - 1;
    if (count > 0) return void this.pins.set(id, count);
    this.pins.delete(id);
    if (this.unlinkWhenReleased.delete(id)) await this.discard(id);
  }

  async delete(id: string): Promise<boolean> {
    if (!this.files.delete(id)) return false;
    if (this.pins.has(id)) this.unlinkWhenReleased.add(id);
    else await this.discard(id);
    return true;
  }

  /** Removes content that was never registered (a refused upload) or is no longer listed. */
  async discard(id: string): Promise<void> {
    await rm(this.pathOf(id), { force: true });
  }

  close(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
