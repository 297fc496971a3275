import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { BlobNotFoundError, InvalidBlobKeyError } from './blob-store.error';
import { FilesystemBlobStore } from './filesystem-blob-store';

const UNICODE = 'naïve café — 日本語 — emoji 🧪🚀 — combining e\u0301 — RTL עברית\n';

describe(FilesystemBlobStore.name, () => {
  let rootDir: string;
  let sut: FilesystemBlobStore;

  beforeEach(async () => {
    rootDir = await mkdtemp(join(tmpdir(), 'blob-store-spec-'));
    sut = new FilesystemBlobStore(join(rootDir, 'blobs'));
  });

  afterEach(async () => {
    await rm(rootDir, { recursive: true, force: true });
  });

  it('reports the fs driver', () => {
    expect(sut.driver).toBe('fs');
  });

  it('round-trips a Buffer, creating parent directories', async () => {
    const body = Buffer.from([0, 1, 2, 253, 254, 255]);
    await sut.put('datasets/ds-1/original.bin', body);
    await expect(sut.getBuffer('datasets/ds-1/original.bin')).resolves.toEqual(body);
  });

  it('round-trips a string as UTF-8, byte for byte', async () => {
    await sut.put('items/unicode.jsonl', UNICODE);
    const stored = await sut.getBuffer('items/unicode.jsonl');
    expect(stored.equals(Buffer.from(UNICODE, 'utf8'))).toBe(true);
    expect(stored.toString('utf8')).toBe(UNICODE);
  });

  it('round-trips a stream and reads it back as a stream', async () => {
    const chunks = Array.from({ length: 200 }, (_, i) => Buffer.from(`{"i":${i},"t":"${UNICODE.trim()}"}\n`));
    await sut.put('runs/r-1/results.jsonl', Readable.from(chunks));

    const read: Buffer[] = [];
    for await (const chunk of await sut.getStream('runs/r-1/results.jsonl')) read.push(chunk as Buffer);
    expect(Buffer.concat(read).equals(Buffer.concat(chunks))).toBe(true);
  });

  it('keeps multi-byte characters intact when a stream splits them across chunks', async () => {
    const bytes = Buffer.from(UNICODE, 'utf8');
    const split = Array.from(bytes, (byte) => Buffer.from([byte]));
    await sut.put('split.txt', Readable.from(split));
    expect((await sut.getBuffer('split.txt')).equals(bytes)).toBe(true);
  });

  it('replaces an existing blob', async () => {
    await sut.put('a.txt', 'first');
    await sut.put('a.txt', 'second');
    await expect(sut.getBuffer('a.txt')).resolves.toEqual(Buffer.from('second'));
  });

  it('leaves no temp files behind after writes', async () => {
    await sut.put('dir/a.txt', 'a');
    await sut.put('dir/b.txt', Readable.from([Buffer.from('b')]));
    await sut.put('dir/a.txt', Buffer.from('a2'));
    expect((await readdir(join(rootDir, 'blobs', 'dir'))).sort()).toEqual(['a.txt', 'b.txt']);
  });

  it('serves the previous blob while a new one is still being written', async () => {
    await sut.put('live.txt', 'old');
    const incoming = new PassThrough();
    const writing = sut.put('live.txt', incoming);
    incoming.write('new, half written');
    await waitFor(async () => (await tempFiles(join(rootDir, 'blobs'))).length === 1);

    await expect(sut.getBuffer('live.txt')).resolves.toEqual(Buffer.from('old'));

    incoming.end(' and finished');
    await writing;
    await expect(sut.getBuffer('live.txt')).resolves.toEqual(Buffer.from('new, half written and finished'));
  });

  it('keeps the previous blob and removes the temp file when the source stream fails', async () => {
    await sut.put('kept.txt', 'old');
    const failing = new Readable({
      read() {
        this.push('partial');
        this.destroy(new Error('upstream broke'));
      },
    });

    await expect(sut.put('kept.txt', failing)).rejects.toThrow('upstream broke');
    await expect(sut.getBuffer('kept.txt')).resolves.toEqual(Buffer.from('old'));
    expect(await tempFiles(join(rootDir, 'blobs'))).toEqual([]);
  });

  it('rejects with BlobNotFoundError carrying the key for a missing blob', async () => {
    await expect(sut.getBuffer('missing/key.txt')).rejects.toMatchObject({
      name: 'BlobNotFoundError',
      key: 'missing/key.txt',
    });
    await expect(sut.getStream('missing/key.txt')).rejects.toBeInstanceOf(BlobNotFoundError);
  });

  it('treats a key prefix (a directory) and a path below a blob as missing', async () => {
    await sut.put('prefix/child.txt', 'x');
    await expect(sut.getBuffer('prefix')).rejects.toBeInstanceOf(BlobNotFoundError);
    expect(await sut.exists('prefix')).toBe(false);
    expect(await sut.exists('prefix/child.txt/below')).toBe(false);
    await expect(sut.getStream('prefix/child.txt/below')).rejects.toBeInstanceOf(BlobNotFoundError);
  });

  it('reports existence and deletes idempotently', async () => {
    await sut.put('x/y.txt', 'y');
    expect(await sut.exists('x/y.txt')).toBe(true);

    await sut.delete('x/y.txt');
    expect(await sut.exists('x/y.txt')).toBe(false);
    await expect(sut.delete('x/y.txt')).resolves.toBeUndefined();
    await expect(sut.delete('never/existed.txt')).resolves.toBeUndefined();
  });

  it('creates the root directory on ping', async () => {
    await sut.ping();
    expect((await stat(join(rootDir, 'blobs'))).isDirectory()).toBe(true);
  });

  it('fails ping when the root is not a usable directory', async () => {
    const fileRoot = join(rootDir, 'not-a-dir');
    await writeFile(fileRoot, 'x');
    await expect(new FilesystemBlobStore(fileRoot).ping()).rejects.toThrow();
  });

  it.each([
    ['empty', ''],
    ['absolute', '/etc/passwd'],
    ['parent segment', '../outside.txt'],
    ['nested parent segment', 'a/../../outside.txt'],
    ['dot segment', 'a/./b'],
    ['empty segment', 'a//b'],
    ['trailing slash', 'a/b/'],
    ['backslash', 'a\\b'],
    ['NUL', 'a\u0000b'],
    ['newline', 'a\nb'],
    ['DEL', 'a\u007fb'],
    ['over 1024 bytes', 'é'.repeat(513)],
  ])('rejects an invalid key (%s) with InvalidBlobKeyError on every operation', async (_, key) => {
    await expect(sut.put(key, 'x')).rejects.toBeInstanceOf(InvalidBlobKeyError);
    await expect(sut.getStream(key)).rejects.toBeInstanceOf(InvalidBlobKeyError);
    await expect(sut.getBuffer(key)).rejects.toBeInstanceOf(InvalidBlobKeyError);
    await expect(sut.exists(key)).rejects.toBeInstanceOf(InvalidBlobKeyError);
    await expect(sut.delete(key)).rejects.toBeInstanceOf(InvalidBlobKeyError);
    expect(await readdir(rootDir)).toEqual([]);
  });

  it('accepts keys with dots, spaces and unicode inside segments', async () => {
    const key = 'runs/run 1/..hidden/résultats…/unit.v2.json';
    await sut.put(key, '{}');
    await expect(sut.getBuffer(key)).resolves.toEqual(Buffer.from('{}'));
  });
});

async function tempFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true });
  return entries.filter((entry) => entry.endsWith('.tmp'));
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
