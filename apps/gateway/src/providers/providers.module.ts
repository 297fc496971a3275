import { Module } from '@nestjs/common';
import { SecretBox } from '@yardstick/secrets';
import { GatewayEnv } from '../config/gateway.env';
import { ProvidersController } from './providers.controller';

@Module({
  controllers: [ProvidersController],
  providers: [{ provide: SecretBox, inject: [GatewayEnv], useFactory: (env: GatewayEnv) => SecretBox.fromEnv({ SECRET_KEYS: env.SECRET_KEYS, SECRET_ACTIVE_KEY_ID: env.SECRET_ACTIVE_KEY_ID }) }],
})
export class ProvidersModule {}
