import { resolve } from 'node:path';
import type { BlobStore } from './blob-store';
import { FilesystemBlobStore } from './filesystem-blob-store';
import { S3BlobStore, type S3BlobStoreConfig } from './s3-blob-store';

export type BlobStoreConfig =
  | { driver: 'fs'; rootDir: string }
  | ({ driver: 's3' } & S3BlobStoreConfig);

/** Where the filesystem driver keeps blobs when BLOB_FS_ROOT is unset, relative to the working directory. */
export const DEFAULT_BLOB_FS_ROOT = '.data/blobs';
export const DEFAULT_S3_REGION = 'us-east-1';

/**
 * Reads the blob-store variables (documented in the lib's README) and fails fast,
 * naming the variable, on anything missing or malformed.
 */
export function blobStoreConfigFromEnv(env: NodeJS.ProcessEnv): BlobStoreConfig {
  const driver = read(env, 'BLOB_DRIVER') ?? 'fs';
  switch (driver) {
    case 'fs':
      return { driver, rootDir: resolve(read(env, 'BLOB_FS_ROOT') ?? DEFAULT_BLOB_FS_ROOT) };
    case 's3':
      return { driver, ...s3ConfigFromEnv(env) };
    default:
      throw new Error(`BLOB_DRIVER must be "fs" or "s3", got ${JSON.stringify(driver)}`);
  }
}

export function blobStoreFromEnv(env: NodeJS.ProcessEnv): BlobStore {
  const config = blobStoreConfigFromEnv(env);
  return config.driver === 'fs' ? new FilesystemBlobStore(config.rootDir) : new S3BlobStore(config);
}

function s3ConfigFromEnv(env: NodeJS.ProcessEnv): S3BlobStoreConfig {
  const endpoint = read(env, 'S3_ENDPOINT');
  if (endpoint !== undefined && !isHttpUrl(endpoint)) {
    throw new Error(`S3_ENDPOINT must be an http(s) URL, got ${JSON.stringify(endpoint)}`);
  }
  const bucket = read(env, 'S3_BUCKET');
  if (bucket === undefined) {
    throw new Error('S3_BUCKET is required when BLOB_DRIVER is "s3"');
  }
  const accessKeyId = read(env, 'S3_ACCESS_KEY_ID');
  const secretAccessKey = read(env, 'S3_SECRET_ACCESS_KEY');
  if (accessKeyId !== undefined && secretAccessKey === undefined) {
    throw new Error('S3_SECRET_ACCESS_KEY is required when S3_ACCESS_KEY_ID is set');
  }
  if (secretAccessKey !== undefined && accessKeyId === undefined) {
    throw new Error('S3_ACCESS_KEY_ID is required when S3_SECRET_ACCESS_KEY is set');
  }
  return {
    endpoint,
    region: read(env, 'S3_REGION') ?? DEFAULT_S3_REGION,
    bucket,
    // S3-compatible servers rarely have wildcard DNS for virtual-hosted buckets.
    forcePathStyle: readBoolean(env, 'S3_FORCE_PATH_STYLE') ?? endpoint !== undefined,
    accessKeyId,
    secretAccessKey,
  };
}

/** Empty counts as unset, as it does for a compose file's `VAR=` line. */
function read(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

function readBoolean(env: NodeJS.ProcessEnv, name: string): boolean | undefined {
  const value = read(env, name);
  if (value === undefined) return undefined;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new Error(`${name} must be "true" or "false", got ${JSON.stringify(value)}`);
}

function isHttpUrl(value: string): boolean {
  try {
    const { protocol } = new URL(value);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}
