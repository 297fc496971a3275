import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { GatewayEnv } from '../config/gateway.env';
import { ApiKeyGuard } from './api-key.guard';
import { ApiKeyThrottlerGuard } from './api-key.throttler.guard';
import { ApiKeysController } from './api-keys.controller';
import { ProjectsController } from './projects.controller';
import { TenancyRepository } from './tenancy.repository';
import { TenancyService } from './tenancy.service';
import { ThrottlerStorageModule } from './throttler-storage.module';

@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      imports: [ThrottlerStorageModule],
      inject: [GatewayEnv, ThrottlerStorageRedisService],
      useFactory: (env: GatewayEnv, storage: ThrottlerStorageRedisService) => ({
        throttlers: [{ name: 'per-key', ttl: env.RATE_LIMIT_WINDOW_MS, limit: env.RATE_LIMIT_REQUESTS }],
        storage,
      }),
    }),
  ],
  controllers: [ApiKeysController, ProjectsController],
  providers: [
    TenancyRepository,
    TenancyService,
    // Guards run in this order: the key decides the project, then the key's rate limit applies.
    { provide: APP_GUARD, useClass: ApiKeyGuard },
    { provide: APP_GUARD, useClass: ApiKeyThrottlerGuard },
  ],
  exports: [TenancyService],
})
export class TenancyModule {}
