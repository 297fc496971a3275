import { PersistenceOptions } from '@yardstick/persistence';
import { ProviderResultEntity } from './calls/provider-result.entity';
import { LlmCallerEnv } from './config/llm-caller.env';
import { CreateProviderResults1732269600100 } from './migrations/1732269600100-create-provider-results';
import { CreateProviderEndpoints1732269800100 } from './migrations/1732269800100-create-provider-endpoints';
import { PipelineSteps1732270200100 } from './migrations/1732270200100-pipeline-steps';
import { ProviderEndpointEntity } from './providers/provider-endpoint.entity';

export function llmCallerPersistence(env: LlmCallerEnv): PersistenceOptions {
  return {
    databaseUrl: env.DATABASE_URL,
    schema: env.DB_SCHEMA,
    poolSize: env.DB_POOL_SIZE,
    entities: [ProviderResultEntity, ProviderEndpointEntity],
    migrations: [CreateProviderResults1732269600100, CreateProviderEndpoints1732269800100, PipelineSteps1732270200100],
  };
}
