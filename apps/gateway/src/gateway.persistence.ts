import { PersistenceOptions } from '@yardstick/persistence';
import { GatewayEnv } from './config/gateway.env';
import { ConfigEntity } from './configs/config.entity';
import { ConfigVersionEntity } from './configs/config-version.entity';
import { DatasetEntity } from './datasets/dataset.entity';
import { DatasetItemEntity } from './datasets/dataset-item.entity';
import { CreateCatalog1732269600200 } from './migrations/1732269600200-create-catalog';
import { ConfigProviderEndpoint1732269800200 } from './migrations/1732269800200-config-provider-endpoint';
import { ConfigPipelines1732270200000 } from './migrations/1732270200000-config-pipelines';
import { Tenancy1732270700000 } from './migrations/1732270700000-tenancy';
import { ExperimentConfigVersions1732271350000 } from './migrations/1732271350000-experiment-config-versions';
import { ApiKeyEntity } from './tenancy/api-key.entity';
import { OrganizationEntity } from './tenancy/organization.entity';
import { ProjectEntity } from './tenancy/project.entity';

export function gatewayPersistence(env: GatewayEnv): PersistenceOptions {
  return {
    databaseUrl: env.DATABASE_URL,
    schema: env.DB_SCHEMA,
    poolSize: env.DB_POOL_SIZE,
    entities: [DatasetEntity, DatasetItemEntity, ConfigEntity, ConfigVersionEntity, OrganizationEntity, ProjectEntity, ApiKeyEntity],
    migrations: [CreateCatalog1732269600200, ConfigProviderEndpoint1732269800200, ConfigPipelines1732270200000, Tenancy1732270700000, ExperimentConfigVersions1732271350000],
  };
}
