import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  type BucketLocationConstraint,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { Readable } from 'node:stream';
import { assertValidBlobKey } from './blob-key.validation';
import type { BlobBody, BlobPutOptions, BlobStore } from './blob-store';
import { BlobNotFoundError } from './blob-store.error';

export interface S3BlobStoreConfig {
  /** Unset for AWS itself; the URL of an S3-compatible server (MinIO, s3rver, ...) otherwise. */
  endpoint?: string;
  region: string;
  bucket: string;
  forcePathStyle: boolean;
  /** Both or neither; with neither, the SDK's default credential chain applies. */
  accessKeyId?: string;
  secretAccessKey?: string;
}

// NoSuchBucket is deliberately absent: a missing bucket is a misconfiguration, not a missing blob.
const MISSING_OBJECT_ERRORS = new Set(['NoSuchKey', 'NotFound']);

export class S3BlobStore implements BlobStore {
  readonly driver = 's3' as const;
  readonly bucket: string;
  private readonly region: string;
  private readonly client: S3Client;

  constructor(config: S3BlobStoreConfig) {
    if (Boolean(config.accessKeyId) !== Boolean(config.secretAccessKey)) {
      throw new Error('S3BlobStore needs both accessKeyId and secretAccessKey, or neither');
    }
    this.bucket = config.bucket;
    this.region = config.region;
    this.client = new S3Client({
      endpoint: config.endpoint,
      region: config.region,
      forcePathStyle: config.forcePathStyle,
      credentials:
        config.accessKeyId && config.secretAccessKey
          ? { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey }
          : undefined,
    });
  }

  async put(key: string, body: BlobBody, options: BlobPutOptions = {}): Promise<void> {
    assertValidBlobKey(key);
    const params = { Bucket: this.bucket, Key: key, ContentType: options.contentType };
    if (body instanceof Readable) {
      // PutObject needs the length up front; Upload sends parts as they arrive instead.
      await new Upload({ client: this.client, params: { ...params, Body: body } }).done();
      return;
    }
    await this.client.send(new PutObjectCommand({ ...params, Body: body }));
  }

  async getStream(key: string): Promise<Readable> {
    assertValidBlobKey(key);
    const output = await this.withNotFound(key, () =>
      this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key })),
    );
    if (!(output.Body instanceof Readable)) {
      throw new Error(`S3 returned no readable body for ${key}`);
    }
    return output.Body;
  }

  async getBuffer(key: string): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of await this.getStream(key)) {
      chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array));
    }
    return Buffer.concat(chunks);
  }

  async exists(key: string): Promise<boolean> {
    assertValidBlobKey(key);
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return true;
    } catch (error) {
      if (isMissingObject(error)) return false;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    assertValidBlobKey(key);
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  async ping(): Promise<void> {
    await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
  }

  /** Creates the bucket when missing; safe to call repeatedly and concurrently. */
  async ensureBucket(): Promise<void> {
    if (await this.bucketExists()) return;
    try {
      await this.client.send(
        new CreateBucketCommand({
          Bucket: this.bucket,
          // us-east-1 is the one region that rejects an explicit location constraint.
          CreateBucketConfiguration:
            this.region === 'us-east-1'
              ? undefined
              : { LocationConstraint: this.region as BucketLocationConstraint },
        }),
      );
    } catch (error) {
      const name = errorName(error);
      if (name === 'BucketAlreadyOwnedByYou') return;
      // AWS means "owned by another account"; some S3-compatible servers say it for our own bucket.
      if (name === 'BucketAlreadyExists' && (await this.bucketExists())) return;
      throw error;
    }
  }

  /** Closes the client's keep-alive sockets; call on shutdown. */
  destroy(): void {
    this.client.destroy();
  }

  private async bucketExists(): Promise<boolean> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
      return true;
    } catch (error) {
      if (httpStatusOf(error) === 404) return false;
      throw error;
    }
  }

  private async withNotFound<T>(key: string, request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      if (isMissingObject(error)) throw new BlobNotFoundError(key, { cause: error });
      throw error;
    }
  }
}

function isMissingObject(error: unknown): boolean {
  return MISSING_OBJECT_ERRORS.has(errorName(error));
}

// Structural, not `instanceof Error`: SDK errors may come from another realm (Jest's VM, a second SDK copy).
function errorName(error: unknown): string {
  const name = (error as { name?: unknown } | undefined)?.name;
  return typeof name === 'string' ? name : '';
}

function httpStatusOf(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
}
