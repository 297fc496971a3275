export { assertValidBlobKey } from './blob-key.validation';
export type { BlobBody, BlobPutOptions, BlobStore, BlobStoreDriver } from './blob-store';
export { BLOB_STORE } from './blob-store.constants';
export {
  blobStoreConfigFromEnv,
  blobStoreFromEnv,
  DEFAULT_BLOB_FS_ROOT,
  DEFAULT_S3_REGION,
  type BlobStoreConfig,
} from './blob-store.env';
export { BlobNotFoundError, BlobStoreError, BlobStoreErrorCode, InvalidBlobKeyError } from './blob-store.error';
export { BlobStoreModule } from './blob-store.module';
export { FilesystemBlobStore } from './filesystem-blob-store';
export { S3BlobStore, type S3BlobStoreConfig } from './s3-blob-store';
export { putStreamed, type WriteChunk } from './put-streamed';
