import { PersistenceOptions } from '@yardstick/persistence';
import { GatewayEnv } from './config/gateway.env';
import { ConfigEntity } from './configs/config.entity';
import { ConfigVersionEntity } from './configs/config-version.entity';
import { DatasetEntity } from './datasets/dataset.entity';
import { DatasetItemEntity } from './datasets/dataset-item.entity';
import { CreateCatalog1732269600200 } from './migrations/1732269600200-create-catalog';
import { ConfigProviderEndpoint1732269800200 } from './migrations/1732269800200-config-provider-endpoint';

export function gatewayPersistence(env: GatewayEnv): PersistenceOptions {
  return {
    databaseUrl: env.DATABASE_URL,
    schema: env.DB_SCHEMA,
    poolSize: env.DB_POOL_SIZE,
    entities: [DatasetEntity, DatasetItemEntity, ConfigEntity, ConfigVersionEntity],
    migrations: [CreateCatalog1732269600200, ConfigProviderEndpoint1732269800200],
  };
}
