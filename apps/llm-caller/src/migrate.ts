import 'reflect-metadata';
import { runMigrations } from '@yardstick/persistence';
import { loadEnvironment, runMain } from '@yardstick/service-runtime';
import { LlmCallerEnv } from './config/llm-caller.env';
import { llmCallerPersistence } from './llm-caller.persistence';

runMain('llm-caller-migrate', async () => {
  const applied = await runMigrations(llmCallerPersistence(loadEnvironment(LlmCallerEnv)));
  console.log(`llm-caller: ${applied.length ? `applied ${applied.join(', ')}` : 'schema up to date'}`);
});
