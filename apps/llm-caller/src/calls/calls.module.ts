import { Module } from '@nestjs/common';
import { SecretBox } from '@yardstick/secrets';
import { BatchesRpcHandler } from '../batches/batches.rpc-handler';
import { ProviderBatchesService } from '../batches/provider-batches.service';
import { CachedProvider } from '../cache/cached-provider';
import { CacheRpcHandler } from '../cache/cache.rpc-handler';
import { ResponseCache } from '../cache/response-cache';
import { LlmCallerEnv } from '../config/llm-caller.env';
import { PriceTable } from '../pricing/price-table';
import { EndpointResolver } from '../providers/endpoint.resolver';
import { ProviderEndpointsRepository } from '../providers/provider-endpoints.repository';
import { ProvidersRpcHandler } from '../providers/providers.rpc-handler';
import { ProviderClient } from '../provider/provider-client';
import { ProviderRateLimiter } from '../rate-limit';
import { RedisConnection } from '../redis.module';
import { InFlightCallLock } from './in-flight-call.lock';
import { JudgeCompletionsService } from './judge-completions.service';
import { JudgeRpcHandler } from './judge.rpc-handler';
import { ProviderCallsService } from './provider-calls.service';
import { ProviderCommandsHandler } from './provider-commands.handler';
import { ProviderResultRepository } from './provider-result.repository';

@Module({
  providers: [
    {
      provide: ProviderRateLimiter,
      inject: [RedisConnection, LlmCallerEnv],
      useFactory: (redis: RedisConnection, env: LlmCallerEnv) => new ProviderRateLimiter(redis.client, { keyPrefix: `${env.REDIS_KEY_PREFIX}:rate-limit:` }),
    },
    {
      provide: ProviderClient,
      inject: [LlmCallerEnv, ProviderRateLimiter],
      useFactory: (env: LlmCallerEnv, limiter: ProviderRateLimiter) => new ProviderClient(env, limiter),
    },
    { provide: PriceTable, inject: [LlmCallerEnv], useFactory: (env: LlmCallerEnv) => new PriceTable(env.PRICE_TABLE_JSON) },
    {
      provide: SecretBox,
      inject: [LlmCallerEnv],
      useFactory: (env: LlmCallerEnv) => SecretBox.fromEnv({ SECRET_KEYS: env.SECRET_KEYS, SECRET_ACTIVE_KEY_ID: env.SECRET_ACTIVE_KEY_ID }),
    },
    ProviderEndpointsRepository,
    EndpointResolver,
    ProvidersRpcHandler,
    ResponseCache,
    CachedProvider,
    CacheRpcHandler,
    ProviderResultRepository,
    InFlightCallLock,
    ProviderCallsService,
    ProviderCommandsHandler,
    JudgeCompletionsService,
    JudgeRpcHandler,
    ProviderBatchesService,
    BatchesRpcHandler,
  ],
})
export class CallsModule {}
