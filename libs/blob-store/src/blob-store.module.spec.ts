import { Inject, Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { BlobStore } from './blob-store';
import { BLOB_STORE } from './blob-store.constants';
import { BlobStoreModule } from './blob-store.module';
import { FilesystemBlobStore } from './filesystem-blob-store';

@Injectable()
class DatasetFiles {
  constructor(@Inject(BLOB_STORE) readonly blobs: BlobStore) {}
}

@Module({ providers: [DatasetFiles] })
class DatasetModule {}

describe(BlobStoreModule.name, () => {
  it('provides the given store to providers of other modules', async () => {
    const store = new FilesystemBlobStore('/tmp/yardstick-module-spec');
    const app = await Test.createTestingModule({ imports: [BlobStoreModule.forRoot(store), DatasetModule] }).compile();

    expect(app.get(BLOB_STORE)).toBe(store);
    expect(app.get(DatasetFiles).blobs).toBe(store);
    await app.close();
  });

  it('builds the store from process.env when none is given', async () => {
    const previous = process.env.BLOB_DRIVER;
    process.env.BLOB_DRIVER = 'fs';
    try {
      const app = await Test.createTestingModule({ imports: [BlobStoreModule.forRoot()] }).compile();
      expect(app.get<BlobStore>(BLOB_STORE).driver).toBe('fs');
      await app.close();
    } finally {
      if (previous === undefined) delete process.env.BLOB_DRIVER;
      else process.env.BLOB_DRIVER = previous;
    }
  });
});
