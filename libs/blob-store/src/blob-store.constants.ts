/** Injection token for the app's `BlobStore`: `@Inject(BLOB_STORE) private readonly blobs: BlobStore`. */
export const BLOB_STORE = 'BLOB_STORE';
