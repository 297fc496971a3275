import { Global, Inject, Injectable, Logger, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import Redis from 'ioredis';
import { ReadinessRegistry } from '@yardstick/service-runtime';
import { LlmCallerEnv } from './config/llm-caller.env';

/** The Redis connection llm-caller's response cache and rate limits use. */
@Injectable()
export class RedisConnection implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(RedisConnection.name);
  readonly client: Redis;

  constructor(env: LlmCallerEnv, @Inject(ReadinessRegistry) private readonly readiness: ReadinessRegistry) {
    this.client = new Redis(env.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 2, enableOfflineQueue: false });
  }

  /** Redis is a cache and a coordinator here, not a store of record: the service starts and works without it. */
  async onModuleInit(): Promise<void> {
    this.readiness.register({ name: 'redis', check: async () => void (await this.client.ping()) });
    await this.client.connect().catch((error: Error) => this.logger.warn(`Redis unreachable at start (${error.message}); retrying in the background`));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.quit().catch(() => this.client.disconnect());
  }
}

@Global()
@Module({ providers: [RedisConnection], exports: [RedisConnection] })
export class RedisModule {}
