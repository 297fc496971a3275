import 'reflect-metadata';
import { runMigrations } from '@yardstick/persistence';
import { loadEnvironment, runMain } from '@yardstick/service-runtime';
import { WebhookDispatcherEnv } from './config/webhook-dispatcher.env';
import { webhookDispatcherPersistence } from './webhook-dispatcher.persistence';

runMain('webhook-dispatcher-migrate', async () => {
  const applied = await runMigrations(webhookDispatcherPersistence(loadEnvironment(WebhookDispatcherEnv)));
  console.log(`webhook-dispatcher: ${applied.length ? `applied ${applied.join(', ')}` : 'schema up to date'}`);
});
