import { CallHandler, ExecutionContext, HttpStatus, Injectable, NestInterceptor, PayloadTooLargeException } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { diskStorage } from 'multer';
import { tmpdir } from 'node:os';
import { Observable } from 'rxjs';
import { ApiErrorCode, ApiException } from '../api/api.exception';
import { GatewayEnv } from '../config/gateway.env';

/**
 * Receives the multipart upload onto disk (never whole in memory), one file of at most DATASET_MAX_BYTES.
 * The CSV reader re-checks the size while streaming; this limit stops a huge upload early and says the limit.
 */
@Injectable()
export class DatasetUploadInterceptor implements NestInterceptor {
  private readonly inner: NestInterceptor;

  constructor(private readonly env: GatewayEnv) {
    const Inner = FileInterceptor('file', {
      storage: diskStorage({ destination: tmpdir() }),
      limits: { fileSize: env.DATASET_MAX_BYTES + 1, files: 1, fields: 20 },
    });
    this.inner = new Inner();
  }

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    try {
      return await this.inner.intercept(context, next);
    } catch (error) {
      if (error instanceof PayloadTooLargeException) {
        const limit = this.env.DATASET_MAX_BYTES;
        throw new ApiException(HttpStatus.PAYLOAD_TOO_LARGE, ApiErrorCode.DatasetTooLarge,
          `the file is larger than the limit of ${limit} bytes (${(limit / 1024 / 1024).toFixed(1)} MB)`);
      }
      throw error;
    }
  }
}
