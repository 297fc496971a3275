import 'reflect-metadata';
import { runMigrations } from '@yardstick/persistence';
import { loadEnvironment, runMain } from '@yardstick/service-runtime';
import { OrchestratorEnv } from './config/orchestrator.env';
import { orchestratorPersistence } from './orchestrator.persistence';

runMain('orchestrator-migrate', async () => {
  const applied = await runMigrations(orchestratorPersistence(loadEnvironment(OrchestratorEnv)));
  console.log(`orchestrator: ${applied.length ? `applied ${applied.join(', ')}` : 'schema up to date'}`);
});
