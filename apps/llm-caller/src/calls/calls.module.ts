import { Module } from '@nestjs/common';
import { SecretBox } from '@yardstick/secrets';
import { CachedProvider } from '../cache/cached-provider';
import { CacheRpcHandler } from '../cache/cache.rpc-handler';
import { ResponseCache } from '../cache/response-cache';
import { LlmCallerEnv } from '../config/llm-caller.env';
import { PriceTable } from '../pricing/price-table';
import { EndpointResolver } from '../providers/endpoint.resolver';
import { ProviderEndpointsRepository } from '../providers/provider-endpoints.repository';
import { ProvidersRpcHandler } from '../providers/providers.rpc-handler';
import { ProviderClient } from '../provider/provider-client';
import { InFlightCallLock } from './in-flight-call.lock';
import { ProviderCallsService } from './provider-calls.service';
import { ProviderCommandsHandler } from './provider-commands.handler';
import { ProviderResultRepository } from './provider-result.repository';

@Module({
  providers: [
    { provide: ProviderClient, inject: [LlmCallerEnv], useFactory: (env: LlmCallerEnv) => new ProviderClient(env) },
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
  ],
})
export class CallsModule {}
