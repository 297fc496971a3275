import { PersistenceOptions } from '@yardstick/persistence';
import { OrchestratorEnv } from './config/orchestrator.env';
import { CreateRuns1732269600000 } from './migrations/1732269600000-create-runs';
import { RunControl1732269700000 } from './migrations/1732269700000-run-control';
import { ResponseCache1732269800000 } from './migrations/1732269800000-response-cache';
import { RetryBudget1732269900000 } from './migrations/1732269900000-retry-budget';
import { HumanScores1732270100000 } from './migrations/1732270100000-human-scores';
import { PipelineSteps1732270200000 } from './migrations/1732270200000-pipeline-steps';
import { ScorerErrors1732270300000 } from './migrations/1732270300000-scorer-errors';
import { CreateExperiments1732270500000 } from './migrations/1732270500000-create-experiments';
import { StageBatches1732270900000 } from './migrations/1732270900000-stage-batches';
import { ScorerVerdicts1732271000000 } from './migrations/1732271000000-scorer-verdicts';
import { ExperimentSavedConfig1732271350000 } from './migrations/1732271350000-experiment-saved-config';
import { EmbeddingsBatches1732271400000 } from './migrations/1732271400000-embeddings-batches';
import { EmbeddingsOutOfLine1732271500000 } from './migrations/1732271500000-embeddings-out-of-line';
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
    migrations: [CreateRuns1732269600000, RunControl1732269700000, ResponseCache1732269800000, RetryBudget1732269900000, HumanScores1732270100000, PipelineSteps1732270200000, ScorerErrors1732270300000, CreateExperiments1732270500000, StageBatches1732270900000, ScorerVerdicts1732271000000, ExperimentSavedConfig1732271350000, EmbeddingsBatches1732271400000, EmbeddingsOutOfLine1732271500000],
  };
}
