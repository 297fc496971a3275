import { resolve } from 'node:path';
import { blobStoreConfigFromEnv, blobStoreFromEnv } from './blob-store.env';
import { FilesystemBlobStore } from './filesystem-blob-store';
import { S3BlobStore } from './s3-blob-store';

const S3_ENV = { BLOB_DRIVER: 's3', S3_BUCKET: 'yardstick-blobs' };

describe(blobStoreConfigFromEnv.name, () => {
  it('defaults to the fs driver under .data/blobs resolved from the working directory', () => {
    expect(blobStoreConfigFromEnv({})).toEqual({ driver: 'fs', rootDir: resolve('.data/blobs') });
  });

  it('resolves BLOB_FS_ROOT from the working directory', () => {
    expect(blobStoreConfigFromEnv({ BLOB_DRIVER: 'fs', BLOB_FS_ROOT: 'var/blobs' })).toEqual({
      driver: 'fs',
      rootDir: resolve('var/blobs'),
    });
  });

  it('reads the s3 settings with region us-east-1 and virtual-hosted style for AWS', () => {
    expect(blobStoreConfigFromEnv(S3_ENV)).toEqual({
      driver: 's3',
      endpoint: undefined,
      region: 'us-east-1',
      bucket: 'yardstick-blobs',
      forcePathStyle: false,
      accessKeyId: undefined,
      secretAccessKey: undefined,
    });
  });

  it('defaults to path-style addressing when S3_ENDPOINT is set, unless told otherwise', () => {
    const withEndpoint = { ...S3_ENV, S3_ENDPOINT: 'http://127.0.0.1:9000' };
    expect(blobStoreConfigFromEnv(withEndpoint)).toMatchObject({ endpoint: 'http://127.0.0.1:9000', forcePathStyle: true });
    expect(blobStoreConfigFromEnv({ ...withEndpoint, S3_FORCE_PATH_STYLE: 'false' })).toMatchObject({ forcePathStyle: false });
    expect(blobStoreConfigFromEnv({ ...S3_ENV, S3_FORCE_PATH_STYLE: 'true' })).toMatchObject({ forcePathStyle: true });
  });

  it('passes region and static credentials through', () => {
    const env = { ...S3_ENV, S3_REGION: 'eu-west-1', S3_ACCESS_KEY_ID: 'AKID', S3_SECRET_ACCESS_KEY: 'secret' };
    expect(blobStoreConfigFromEnv(env)).toMatchObject({
      region: 'eu-west-1',
      accessKeyId: 'AKID',
      secretAccessKey: 'secret',
    });
  });

  it.each([
    ['BLOB_DRIVER', { BLOB_DRIVER: 'gcs' }],
    ['BLOB_DRIVER', { BLOB_DRIVER: 'S3' }],
    ['S3_BUCKET', { BLOB_DRIVER: 's3' }],
    ['S3_BUCKET', { BLOB_DRIVER: 's3', S3_BUCKET: '  ' }],
    ['S3_ENDPOINT', { ...S3_ENV, S3_ENDPOINT: 'localhost:9000' }],
    ['S3_ENDPOINT', { ...S3_ENV, S3_ENDPOINT: 'ftp://example.com' }],
    ['S3_FORCE_PATH_STYLE', { ...S3_ENV, S3_FORCE_PATH_STYLE: 'yes' }],
    ['S3_SECRET_ACCESS_KEY', { ...S3_ENV, S3_ACCESS_KEY_ID: 'AKID' }],
    ['S3_ACCESS_KEY_ID', { ...S3_ENV, S3_SECRET_ACCESS_KEY: 'secret' }],
  ])('throws an error naming %s when it is missing or malformed', (variable, env) => {
    expect(() => blobStoreConfigFromEnv(env)).toThrow(variable);
  });
});

describe(blobStoreFromEnv.name, () => {
  it('builds the filesystem driver by default', () => {
    const store = blobStoreFromEnv({ BLOB_FS_ROOT: '/tmp/yardstick-blobs' });
    expect(store).toBeInstanceOf(FilesystemBlobStore);
    expect(store.driver).toBe('fs');
  });

  it('builds the s3 driver', () => {
    const store = blobStoreFromEnv({ ...S3_ENV, S3_ENDPOINT: 'http://127.0.0.1:9000' });
    expect(store).toBeInstanceOf(S3BlobStore);
    expect(store.driver).toBe('s3');
    (store as S3BlobStore).destroy();
  });
});
