import { Module } from '@nestjs/common';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { GatewayEnv } from '../config/gateway.env';

/** The rate-limit counters in Redis; a provider so that Nest disconnects it on shutdown. */
@Module({
  providers: [{
    provide: ThrottlerStorageRedisService,
    inject: [GatewayEnv],
    useFactory: (env: GatewayEnv) =>
      new ThrottlerStorageRedisService(env.REDIS_URL, { keyPrefix: `${env.REDIS_KEY_PREFIX}:gateway:`, maxRetriesPerRequest: 1 }),
  }],
  exports: [ThrottlerStorageRedisService],
})
export class ThrottlerStorageModule {}
