import { Global, Inject, Injectable, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import Redis from 'ioredis';
import { ReadinessRegistry } from '@yardstick/service-runtime';
import { LlmCallerEnv } from './config/llm-caller.env';

/** The Redis connection llm-caller's response cache and rate limits use. */
@Injectable()
export class RedisConnection implements OnModuleInit, OnApplicationShutdown {
  readonly client: Redis;

  constructor(env: LlmCallerEnv, @Inject(ReadinessRegistry) private readonly readiness: ReadinessRegistry) {
    this.client = new Redis(env.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 2, enableOfflineQueue: false });
  }

  async onModuleInit(): Promise<void> {
    await this.client.connect();
    this.readiness.register({ name: 'redis', check: async () => void (await this.client.ping()) });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.quit().catch(() => this.client.disconnect());
  }
}

@Global()
@Module({ providers: [RedisConnection], exports: [RedisConnection] })
export class RedisModule {}
