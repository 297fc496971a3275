import { PersistenceOptions } from '@yardstick/persistence';
import { OrchestratorEnv } from './config/orchestrator.env';
import { CreateRuns1732269600000 } from './migrations/1732269600000-create-runs';
import { RunControl1732269700000 } from './migrations/1732269700000-run-control';
import { ResponseCache1732269800000 } from './migrations/1732269800000-response-cache';
import { RetryBudget1732269900000 } from './migrations/1732269900000-retry-budget';
import { OutboxMessageEntity } from './outbox/outbox-message.entity';
import { EvaluationRunEntity } from './runs/evaluation-run.entity';
import { RunItemEntity } from './runs/run-item.entity';
import { ItemStageEntity } from './stages/item-stage.entity';

export function orchestratorPersistence(env: OrchestratorEnv): PersistenceOptions {
  return {
    databaseUrl: env.DATABASE_URL,
    schema: env.DB_SCHEMA,
    poolSize: env.DB_POOL_SIZE,
    entities: [EvaluationRunEntity, RunItemEntity, ItemStageEntity, OutboxMessageEntity],
    migrations: [CreateRuns1732269600000, RunControl1732269700000, ResponseCache1732269800000, RetryBudget1732269900000],
  };
}
