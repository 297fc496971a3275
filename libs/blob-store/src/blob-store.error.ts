export enum BlobStoreErrorCode {
  NotFound = 'BLOB_NOT_FOUND',
  InvalidKey = 'INVALID_BLOB_KEY',
}

export class BlobStoreError extends Error {
  constructor(
    readonly code: BlobStoreErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class BlobNotFoundError extends BlobStoreError {
  constructor(
    readonly key: string,
    options?: ErrorOptions,
  ) {
    super(BlobStoreErrorCode.NotFound, `Blob not found: ${key}`, options);
  }
}

export class InvalidBlobKeyError extends BlobStoreError {
  constructor(
    readonly key: string,
    readonly reason: string,
  ) {
    super(BlobStoreErrorCode.InvalidKey, `Invalid blob key ${JSON.stringify(key)}: ${reason}`);
  }
}
