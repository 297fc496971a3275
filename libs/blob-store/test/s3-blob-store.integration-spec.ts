import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { BlobNotFoundError, InvalidBlobKeyError, S3BlobStore } from '../src';
import { startS3rver, S3RVER_CREDENTIALS, type RunningS3rver } from './s3rver.harness';

const UNICODE = 'naïve café — 日本語 — emoji 🧪🚀 — combining e\u0301 — RTL עברית\n';

describe(S3BlobStore.name, () => {
  let s3rver: RunningS3rver;
  let sut: S3BlobStore;

  beforeAll(async () => {
    s3rver = await startS3rver();
    sut = storeFor(`yardstick-${randomUUID()}`);
    await sut.ensureBucket();
  });

  afterAll(async () => {
    sut?.destroy();
    await s3rver?.stop();
  });

  function storeFor(bucket: string): S3BlobStore {
    return new S3BlobStore({ endpoint: s3rver.endpoint, region: 'us-east-1', bucket, forcePathStyle: true, ...S3RVER_CREDENTIALS });
  }

  it('reports the s3 driver and answers ping', async () => {
    expect(sut.driver).toBe('s3');
    await expect(sut.ping()).resolves.toBeUndefined();
  });

  it('round-trips a Buffer and stores its content type', async () => {
    const body = Buffer.from([0, 1, 2, 253, 254, 255]);
    await sut.put('datasets/ds-1/original.csv', body, { contentType: 'text/csv' });
    await expect(sut.getBuffer('datasets/ds-1/original.csv')).resolves.toEqual(body);

    const client = new S3Client({ endpoint: s3rver.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: S3RVER_CREDENTIALS });
    try {
      const head = await client.send(new HeadObjectCommand({ Bucket: sut.bucket, Key: 'datasets/ds-1/original.csv' }));
      expect(head.ContentType).toBe('text/csv');
    } finally {
      client.destroy();
    }
  });

  it('round-trips a string as UTF-8, byte for byte', async () => {
    await sut.put('items/unicode.jsonl', UNICODE, { contentType: 'application/x-ndjson' });
    expect((await sut.getBuffer('items/unicode.jsonl')).equals(Buffer.from(UNICODE, 'utf8'))).toBe(true);
  });

  it('uploads a stream of unknown length over several parts and streams it back', async () => {
    const size = 12 * 1024 * 1024 + 12_345;
    const source = randomBytes(size);
    const chunks = Array.from({ length: Math.ceil(size / 65_536) }, (_, i) => source.subarray(i * 65_536, (i + 1) * 65_536));

    await sut.put('runs/r-1/results.bin', Readable.from(chunks));

    const hash = createHash('sha256');
    let length = 0;
    for await (const chunk of await sut.getStream('runs/r-1/results.bin')) {
      hash.update(chunk as Buffer);
      length += (chunk as Buffer).length;
    }
    expect(length).toBe(size);
    expect(hash.digest('hex')).toBe(createHash('sha256').update(source).digest('hex'));
  });

  it('uploads a small stream in one request', async () => {
    await sut.put('runs/r-1/unit-1.json', Readable.from([Buffer.from('{"score":'), Buffer.from('1}')]));
    await expect(sut.getBuffer('runs/r-1/unit-1.json')).resolves.toEqual(Buffer.from('{"score":1}'));
  });

  it('replaces an existing object', async () => {
    await sut.put('replace.txt', 'first');
    await sut.put('replace.txt', 'second');
    await expect(sut.getBuffer('replace.txt')).resolves.toEqual(Buffer.from('second'));
  });

  it('reports existence and deletes idempotently', async () => {
    await sut.put('x/y.txt', 'y');
    expect(await sut.exists('x/y.txt')).toBe(true);

    await sut.delete('x/y.txt');
    expect(await sut.exists('x/y.txt')).toBe(false);
    await expect(sut.delete('x/y.txt')).resolves.toBeUndefined();
  });

  it('maps a missing key to BlobNotFoundError carrying the key', async () => {
    await expect(sut.getBuffer('missing/key.txt')).rejects.toMatchObject({ name: 'BlobNotFoundError', key: 'missing/key.txt' });
    await expect(sut.getStream('missing/key.txt')).rejects.toBeInstanceOf(BlobNotFoundError);
    expect(await sut.exists('missing/key.txt')).toBe(false);
  });

  it('rejects invalid keys before calling S3', async () => {
    await expect(sut.put('../escape', 'x')).rejects.toBeInstanceOf(InvalidBlobKeyError);
    await expect(sut.getBuffer('/absolute')).rejects.toBeInstanceOf(InvalidBlobKeyError);
    await expect(sut.exists('a\\b')).rejects.toBeInstanceOf(InvalidBlobKeyError);
  });

  it('creates a missing bucket once and tolerates repeated and concurrent ensureBucket calls', async () => {
    const fresh = storeFor(`yardstick-${randomUUID()}`);
    try {
      await expect(fresh.ping()).rejects.toThrow();
      await fresh.ensureBucket();
      await fresh.ensureBucket();
      await Promise.all([fresh.ensureBucket(), fresh.ensureBucket()]);
      await expect(fresh.ping()).resolves.toBeUndefined();
    } finally {
      fresh.destroy();
    }
  });

  it('does not treat a missing bucket as a missing blob', async () => {
    const noBucket = storeFor(`yardstick-${randomUUID()}`);
    try {
      const failure = noBucket.getBuffer('any.txt');
      await expect(failure).rejects.toThrow();
      await expect(failure).rejects.not.toBeInstanceOf(BlobNotFoundError);
    } finally {
      noBucket.destroy();
    }
  });
});
