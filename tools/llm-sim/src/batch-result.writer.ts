import { once } from 'node:events';
import type { WriteStream } from 'node:fs';
import type { FileStore } from './file-store';

/** Lines are written in small groups in reverse, so clients must map results by custom_id as with OpenAI. */
const REORDER_GROUP = 8;

/**
 * Streams the lines of one result file (output or errors) to disk. The file is created on its first line and
 * listed in the store only when `close` finishes it; a file that got no line does not exist.
 */
export class BatchResultWriter {
  private stream: WriteStream | null = null;
  private readonly id: string;
  private group: string[] = [];
  lines = 0;

  constructor(
    private readonly store: FileStore,
    private readonly filename: string,
  ) {
    this.id = store.newId();
  }

  async write(line: unknown): Promise<void> {
    this.lines++;
    this.group.push(JSON.stringify(line));
    if (this.group.length >= REORDER_GROUP) await this.flush();
  }

  /** Finishes the file; resolves to its id, or null when it has no line. */
  async close(): Promise<string | null> {
    await this.flush();
    if (!this.stream) return null;
    this.stream.end();
    await once(this.stream, 'finish');
    return (await this.store.register(this.id, this.filename, 'batch_output')).id;
  }

  /** Drops a half-written file (the simulator is closing). */
  abandon(): void {
    this.stream?.destroy();
  }

  private async flush(): Promise<void> {
    if (this.group.length === 0) return;
    const text = this.group.reverse().join('\n') + '\n';
    this.group = [];
    this.stream ??= this.store.createWriter(this.id);
    if (!this.stream.write(text)) await once(this.stream, 'drain');
  }
}
