import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FilesystemBlobStore } from './filesystem-blob-store';
import { putStreamed } from './put-streamed';

describe(putStreamed.name, () => {
  const store = new FilesystemBlobStore(mkdtempSync(join(tmpdir(), 'put-streamed-')));

  it('stores every chunk in order, past the stream\'s buffer, and answers what the producer returned', async () => {
    const chunk = `${'x'.repeat(1_000)}\n`;
    const count = await putStreamed(store, 'streamed/big.jsonl', async (write) => {
      for (let i = 0; i < 200; i += 1) await write(`${i}:${chunk}`);
      return 200;
    });
    expect(count).toBe(200);
    const lines = (await store.getBuffer('streamed/big.jsonl')).toString().trim().split('\n');
    expect(lines.map((line) => Number(line.split(':')[0]))).toEqual(Array.from({ length: 200 }, (_, i) => i));
  });

  it('keeps nothing and rethrows when the producer fails', async () => {
    await expect(putStreamed(store, 'streamed/failed.jsonl', async (write) => {
      await write('a line\n');
      throw new Error('the source broke');
    })).rejects.toThrow('the source broke');
    expect(await store.exists('streamed/failed.jsonl')).toBe(false);
  });
});
