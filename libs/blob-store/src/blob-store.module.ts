import { Module, type DynamicModule } from '@nestjs/common';
import type { BlobStore } from './blob-store';
import { BLOB_STORE } from './blob-store.constants';
import { blobStoreFromEnv } from './blob-store.env';

@Module({})
export class BlobStoreModule {
  /** Global, so import it once in the app module; without a store it reads process.env at boot. */
  static forRoot(store?: BlobStore): DynamicModule {
    return {
      module: BlobStoreModule,
      global: true,
      providers: [{ provide: BLOB_STORE, useFactory: () => store ?? blobStoreFromEnv(process.env) }],
      exports: [BLOB_STORE],
    };
  }
}
