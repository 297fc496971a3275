import { Module } from '@nestjs/common';
import { LlmCallerEnv } from '../config/llm-caller.env';
import { PriceTable } from '../pricing/price-table';
import { ProviderClient } from '../provider/provider-client';
import { ProviderCallsService } from './provider-calls.service';
import { ProviderCommandsHandler } from './provider-commands.handler';
import { InFlightCallLock } from './in-flight-call.lock';
import { ProviderResultRepository } from './provider-result.repository';

@Module({
  providers: [
    { provide: ProviderClient, inject: [LlmCallerEnv], useFactory: (env: LlmCallerEnv) => new ProviderClient(env) },
    { provide: PriceTable, inject: [LlmCallerEnv], useFactory: (env: LlmCallerEnv) => new PriceTable(env.PRICE_TABLE_JSON) },
    ProviderResultRepository,
    InFlightCallLock,
    ProviderCallsService,
    ProviderCommandsHandler,
  ],
})
export class CallsModule {}
